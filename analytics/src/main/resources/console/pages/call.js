// One call as a timeline: both sides' turns in order, tool calls, barge-ins, reconnects and errors,
// each agent answer with its latency bar; a live call updates as its events arrive.
import { get, follow, el, dateTime, seconds, money } from '../api.js';

let stop = null;

export async function show(root, callId) {
  const view = el('div', { class: 'card', id: 'call-view' });
  root.replaceChildren(view);
  let doc;
  try {
    doc = await get(`/v1/calls/${encodeURIComponent(callId)}`);
  } catch (e) {
    view.replaceChildren(el('h1', {}, 'Call'), el('p', { class: 'error', id: 'call-error' }, e.message));
    return;
  }
  const partial = new Map();
  render(view, doc, partial);
  if (doc.status !== 'ENDED') {
    stop = follow(callId, (name, data) => {
      if (name === 'call') {
        doc = data;
      } else if (name === 'transcript' && data.kind === 'DELTA') {
        partial.set(data.itemId, (partial.get(data.itemId) || '') + data.text);
      } else if (name === 'transcript') {
        partial.delete(data.itemId);
      }
      render(view, doc, partial);
    });
  }
}

export function leave() {
  if (stop) {
    stop();
    stop = null;
  }
}

function render(view, doc, partial) {
  const m = doc.metrics;
  const fact = (label, value) => el('div', {}, el('span', {}, label), value);
  view.replaceChildren(
    el('h1', {}, 'Call ', el('code', {}, doc.callId), ' ', el('span', { class: `badge ${doc.status}`, id: 'call-status' }, doc.status)),
    el('div', { class: 'facts' },
      fact('Tenant', doc.tenantId || '–'),
      fact('Profile', doc.agentProfile || '–'),
      fact('External id', doc.externalCallId || '–'),
      fact('Source', doc.source || '–'),
      fact('Started', dateTime(doc.startedAt)),
      fact('Ended', dateTime(doc.endedAt)),
      fact('Duration', seconds(doc.durationMs)),
      fact('End', doc.endReason ? doc.endReason + (doc.transferTarget ? ` → ${doc.transferTarget}` : '') : '–'),
      fact('Turn latency p50 / max', m.turnLatencyP50Ms === null ? '–' : `${m.turnLatencyP50Ms} / ${m.turnLatencyMaxMs} ms`),
      fact('Talk caller / agent', `${seconds(m.callerTalkMs)} / ${seconds(m.agentTalkMs)}`),
      fact('Silence', seconds(m.silenceMs)),
      fact('Interruptions', m.interruptions),
      fact('Reconnects (failovers)', `${m.reconnects} (${m.failovers})`),
      fact('Tokens in / out', `${doc.usage.inputAudioTokens + doc.usage.inputTextTokens} / ${doc.usage.outputAudioTokens + doc.usage.outputTextTokens}`),
      fact('Cost', money(doc.costUsd)),
      fact('Recording', doc.recordingUri || 'not available')),
    el('h2', {}, 'Conversation'),
    el('div', { class: 'timeline', id: 'timeline' }, items(doc, partial)),
    el('p', { class: 'muted' }, doc.truncation.droppedTurns
      ? `${doc.truncation.droppedTurns} earliest turns left out (document size bound).` : ''));
}

function items(doc, partial) {
  const entries = [];
  for (const turn of doc.turns) {
    entries.push({ at: turn.startedAt, node: turnNode(turn, partial) });
  }
  for (const tool of doc.toolCalls) {
    entries.push({ at: tool.requestedAt || tool.completedAt, node: toolNode(tool) });
  }
  for (const r of doc.reconnects) {
    entries.push({ at: r.at, node: el('div', { class: 'event' }, `Session ${r.failover ? 'failover' : 'reconnect'}: ${r.reason} (gap ${r.gapMs} ms, ${r.replayedItems} items replayed)`) });
  }
  for (const e of doc.errors) {
    entries.push({ at: e.at, node: el('div', { class: 'event' }, `Error ${e.source}${e.code ? ' ' + e.code : ''}: ${e.message}`) });
  }
  entries.sort((a, b) => (a.at || '').localeCompare(b.at || ''));
  return entries.map((e) => e.node);
}

function turnNode(turn, partial) {
  const live = !turn.complete;
  const text = live ? (partial.get(turn.itemId) || turn.text) : turn.text;
  const body = el('div', { class: 'text' });
  if (turn.interrupted && turn.heardText !== null && text.startsWith(turn.heardText)) {
    body.append(turn.heardText, el('span', { class: 'unheard' }, text.slice(turn.heardText.length)));
  } else if (turn.interrupted && turn.heardText !== null) {
    body.append(turn.heardText);
  } else {
    body.append(text);
  }
  const node = el('div', { class: `turn${live ? ' partial' : ''}`, 'data-speaker': turn.speaker, 'data-item-id': turn.itemId },
    el('div', { class: 'who-line' },
      el('b', {}, turn.speaker === 'AGENT' ? 'agent' : 'caller'),
      el('span', {}, new Date(turn.startedAt).toLocaleTimeString()),
      turn.interrupted ? el('span', { class: 'barge' }, 'barge-in: cut off') : null),
    body);
  if (turn.latencyMs !== null) {
    const bar = el('div', { class: 'latency-bar' });
    bar.style.width = `${Math.min(240, Math.max(2, turn.latencyMs / 12.5))}px`;
    node.append(el('div', { class: 'latency', title: 'caller stopped speaking → agent began' }, bar, `${turn.latencyMs} ms`));
  }
  return node;
}

function toolNode(tool) {
  return el('div', { class: 'tool-call', 'data-tool': tool.name },
    el('b', {}, `tool ${tool.name}`), ' ',
    el('code', {}, tool.argumentsJson), ' → ',
    el('span', { class: 'tool-status' }, tool.status || 'pending'),
    tool.latencyMs !== null ? ` in ${tool.latencyMs} ms` : '',
    tool.actionKind ? ` (${tool.actionKind}${tool.actionTarget ? ' ' + tool.actionTarget : ''})` : '');
}
