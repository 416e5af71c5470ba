// The console's shell: the token (from the URL fragment #token=..., then kept in this tab only),
// who it belongs to, and a hash router over the pages.
import { get, setToken, token, el } from './api.js';
import * as live from './pages/live.js';
import * as calls from './pages/calls.js';
import * as call from './pages/call.js';
import * as usage from './pages/usage.js';
import * as talk from './pages/talk.js';

const pages = { live, calls, call, usage, talk };
let current = null;
export const session = { tenant: null, admin: false };

function takeTokenFromFragment() {
  const match = location.hash.match(/^#token=(.+)$/);
  if (match) {
    setToken(decodeURIComponent(match[1]));
    history.replaceState(null, '', `${location.pathname}#/live`);
  }
}

async function signIn() {
  const login = document.getElementById('login');
  if (!token()) {
    login.hidden = false;
    return false;
  }
  try {
    const who = await get('/v1/whoami');
    session.tenant = who.tenant;
    session.admin = who.admin;
    document.getElementById('who').textContent = who.admin ? 'admin: all tenants' : `tenant ${who.tenant}`;
    login.hidden = true;
    return true;
  } catch (e) {
    setToken(null);
    login.hidden = false;
    document.getElementById('login-error').textContent = e.message;
    return false;
  }
}

function route() {
  const [, name = 'live', arg] = (location.hash || '#/live').split('/');
  const page = pages[name] || live;
  if (current && current.leave) {
    current.leave();
  }
  current = page;
  document.querySelectorAll('header nav a').forEach((a) => a.classList.toggle('active', a.dataset.page === name));
  const root = document.getElementById('page');
  root.replaceChildren(el('p', { class: 'muted' }, 'Loading…'));
  page.show(root, decodeURIComponent(arg || ''), session);
}

document.getElementById('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  setToken(document.getElementById('login-token').value.trim());
  if (await signIn()) {
    route();
  }
});

window.addEventListener('hashchange', () => {
  takeTokenFromFragment();
  if (token()) {
    route();
  }
});

takeTokenFromFragment();
if (await signIn()) {
  route();
}
