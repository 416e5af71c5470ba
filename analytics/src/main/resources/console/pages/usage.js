// A tenant's usage over time: totals and bar charts per hour or day.
import { get, el, money } from '../api.js';

const SVG = 'http://www.w3.org/2000/svg';

export function show(root, arg, session) {
  const tenant = el('input', { id: 'usage-tenant', placeholder: 'tenant', value: session.tenant || 'default' });
  if (!session.admin) {
    tenant.disabled = true;
  }
  const granularity = el('select', { id: 'usage-granularity' },
    el('option', { value: 'hour' }, 'last 24 hours, by hour'),
    el('option', { value: 'day' }, 'last 30 days, by day'));
  const button = el('button', {}, 'Show');
  const out = el('div', { id: 'usage-view' });
  const load = async () => {
    try {
      const name = tenant.value.trim();
      const data = await get(`/v1/tenants/${encodeURIComponent(name)}/usage?granularity=${granularity.value}`);
      out.replaceChildren(render(data));
    } catch (e) {
      out.replaceChildren(el('p', { class: 'error' }, e.message));
    }
  };
  button.addEventListener('click', load);
  granularity.addEventListener('change', load);
  root.replaceChildren(el('div', { class: 'card' },
    el('h1', {}, 'Usage'),
    el('div', { class: 'toolbar' }, tenant, granularity, button),
    out));
  load();
}

function render(data) {
  const t = data.totals;
  const total = (label, value, id) => el('div', { id }, el('b', {}, value), label);
  const windows = slots(data);
  return el('div', {},
    el('div', { class: 'totals', id: 'usage-totals' },
      total('calls', t.calls, 'usage-calls'),
      total('minutes', t.minutes.toFixed(2), 'usage-minutes'),
      total('tokens', t.totalTokens, 'usage-tokens'),
      total('cost', money(t.costUsd), 'usage-cost'),
      total('tool calls (errors)', `${t.toolCalls} (${t.toolErrors})`, 'usage-tools'),
      total('turn latency p50 / p95', t.turnLatencyP50Ms === null ? '–' : `${t.turnLatencyP50Ms} / ${t.turnLatencyP95Ms} ms`, 'usage-latency')),
    el('div', { class: 'charts', id: 'usage-chart' },
      chart('Calls', windows, (w) => w.calls),
      chart('Minutes', windows, (w) => w.callMs / 60000),
      chart('Tokens', windows, (w) => w.usage.totalTokens),
      chart('Cost (USD)', windows, (w) => w.costUsd),
      chart('Turn latency p95 (ms)', windows, (w) => w.turnLatencyP95Ms || 0, true)));
}

/** Every window of the range, empty ones included, so the time axis is even. */
function slots(data) {
  const step = data.granularity === 'day' ? 86400000 : 3600000;
  const byStart = new Map(data.windows.map((w) => [new Date(w.windowStart).getTime(), w]));
  const from = Math.floor(new Date(data.from).getTime() / step) * step;
  const to = new Date(data.to).getTime();
  const out = [];
  for (let at = from; at <= to; at += step) {
    out.push(byStart.get(at) || { windowStart: new Date(at).toISOString(), calls: 0, callMs: 0, usage: { totalTokens: 0 }, costUsd: 0, turnLatencyP95Ms: 0 });
  }
  return out;
}

function chart(title, windows, value, alt) {
  const width = 360;
  const height = 160;
  const pad = 22;
  const values = windows.map(value);
  const max = Math.max(...values, 0) || 1;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const barWidth = (width - pad) / Math.max(1, windows.length);
  windows.forEach((w, i) => {
    const h = ((height - pad) * values[i]) / max;
    const rect = document.createElementNS(SVG, 'rect');
    rect.setAttribute('class', alt ? 'bar alt' : 'bar');
    rect.setAttribute('x', String(pad + i * barWidth + 1));
    rect.setAttribute('y', String(height - pad - h));
    rect.setAttribute('width', String(Math.max(1, barWidth - 2)));
    rect.setAttribute('height', String(h));
    const tip = document.createElementNS(SVG, 'title');
    tip.textContent = `${new Date(w.windowStart).toLocaleString()}: ${values[i]}`;
    rect.append(tip);
    svg.append(rect);
  });
  const label = (x, y, text) => {
    const t = document.createElementNS(SVG, 'text');
    t.setAttribute('x', String(x));
    t.setAttribute('y', String(y));
    t.textContent = text;
    svg.append(t);
  };
  label(2, 12, Number.isInteger(max) ? String(max) : max.toFixed(3));
  label(pad, height - 6, new Date(windows[0].windowStart).toLocaleString());
  return el('div', { class: 'chart' }, el('h3', {}, title), svg);
}
