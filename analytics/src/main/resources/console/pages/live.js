// Live calls: every call not yet ended, refreshed every two seconds.
import { get, el, time, seconds, money } from '../api.js';

let timer = null;

export function show(root) {
  const body = el('tbody');
  const status = el('p', { class: 'muted', id: 'live-status' });
  root.replaceChildren(
    el('div', { class: 'card' },
      el('h1', {}, 'Live calls'),
      el('table', { id: 'live-calls' },
        el('thead', {}, el('tr', {},
          ['Call', 'Tenant', 'Profile', 'Started', 'Duration', 'Turns', 'Status', 'Cost'].map((h) => el('th', {}, h)))),
        body),
      status));
  const refresh = async () => {
    try {
      const { calls } = await get('/v1/calls/live');
      body.replaceChildren(...calls.map(row));
      status.textContent = calls.length ? `${calls.length} live` : 'No live calls right now.';
    } catch (e) {
      status.textContent = e.message;
    }
  };
  refresh();
  timer = setInterval(refresh, 2000);
}

export function leave() {
  clearInterval(timer);
}

function row(call) {
  const running = call.startedAt ? Date.now() - new Date(call.startedAt).getTime() : null;
  const tr = el('tr', { 'data-call-id': call.callId },
    el('td', {}, el('a', { href: `#/call/${encodeURIComponent(call.callId)}` }, call.callId.slice(0, 8))),
    el('td', {}, call.tenantId || '–'),
    el('td', {}, call.agentProfile || '–'),
    el('td', {}, time(call.startedAt)),
    el('td', {}, seconds(running)),
    el('td', {}, call.turns),
    el('td', {}, el('span', { class: `badge ${call.status}` }, call.status)),
    el('td', {}, money(call.costUsd)));
  tr.addEventListener('click', () => { location.hash = `#/call/${encodeURIComponent(call.callId)}`; });
  return tr;
}
