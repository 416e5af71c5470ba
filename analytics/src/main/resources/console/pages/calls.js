// A tenant's calls, newest first, a page at a time.
import { get, el, dateTime, seconds, money } from '../api.js';

export function show(root, arg, session) {
  const body = el('tbody');
  const more = el('button', { class: 'secondary', id: 'calls-more', disabled: true }, 'More');
  const tenant = el('input', { id: 'calls-tenant', placeholder: 'tenant (all)', value: session.tenant || '' });
  if (!session.admin) {
    tenant.disabled = true;
  }
  const reload = el('button', {}, 'Show');
  const status = el('p', { class: 'muted' });
  let next = null;
  const load = async (append) => {
    const query = new URLSearchParams({ limit: '25' });
    if (tenant.value.trim()) {
      query.set('tenant', tenant.value.trim());
    }
    if (append && next) {
      query.set('cursor', next);
    }
    try {
      const page = await get(`/v1/calls?${query}`);
      const rows = page.calls.map(row);
      if (append) {
        body.append(...rows);
      } else {
        body.replaceChildren(...rows);
      }
      next = page.next;
      more.disabled = !next;
      status.textContent = body.children.length ? '' : 'No calls yet.';
    } catch (e) {
      status.textContent = e.message;
    }
  };
  reload.addEventListener('click', () => load(false));
  more.addEventListener('click', () => load(true));
  root.replaceChildren(
    el('div', { class: 'card' },
      el('h1', {}, 'Calls'),
      el('div', { class: 'toolbar' }, tenant, reload),
      el('table', { id: 'calls-table' },
        el('thead', {}, el('tr', {},
          ['Call', 'External id', 'Tenant', 'Started', 'Duration', 'End', 'Turns', 'Tools', 'Latency p50', 'Cost']
            .map((h) => el('th', {}, h)))),
        body),
      status,
      more));
  load(false);
}

function row(call) {
  const tr = el('tr', { 'data-call-id': call.callId },
    el('td', {}, el('a', { href: `#/call/${encodeURIComponent(call.callId)}` }, call.callId.slice(0, 8))),
    el('td', {}, call.externalCallId || '–'),
    el('td', {}, call.tenantId || '–'),
    el('td', {}, dateTime(call.startedAt)),
    el('td', {}, seconds(call.durationMs)),
    el('td', {}, call.status === 'ENDED' ? (call.endReason || 'ended') : el('span', { class: `badge ${call.status}` }, call.status)),
    el('td', {}, call.turns),
    el('td', {}, call.toolCalls),
    el('td', {}, call.turnLatencyP50Ms === null ? '–' : `${call.turnLatencyP50Ms} ms`),
    el('td', {}, money(call.costUsd)));
  tr.addEventListener('click', () => { location.hash = `#/call/${encodeURIComponent(call.callId)}`; });
  return tr;
}
