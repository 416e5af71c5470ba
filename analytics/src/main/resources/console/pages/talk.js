// Talk to the agent: the microphone streamed to ingest's plain stream (pcm16, 24 kHz), the agent's
// audio played back, and the call's live transcript from the analytics event stream beside it.
import { consoleConfig, follow, token, el } from '../api.js';

const RATE = 24000;
const FRAME = 480; // 20 ms at 24 kHz

let call = null;

export async function show(root) {
  const config = await consoleConfig();
  const start = el('button', { id: 'talk-start' }, 'Start talking');
  const stop = el('button', { id: 'talk-stop', class: 'secondary', disabled: true }, 'Hang up');
  const profile = el('input', { id: 'talk-profile', placeholder: 'agent profile (default)' });
  const status = el('p', { id: 'talk-status', class: 'muted' }, config.streamUrl ? 'Ready.' : 'Not configured: set analytics.console.stream-url to ingest\'s ws://HOST:PORT/v1/stream.');
  const meter = el('div');
  const audioCount = el('span', { id: 'talk-agent-audio' }, '0');
  const callId = el('code', { id: 'talk-call-id' }, '–');
  const transcript = el('div', { id: 'talk-transcript' });
  start.disabled = !config.streamUrl;
  start.addEventListener('click', async () => {
    start.disabled = true;
    stop.disabled = false;
    transcript.replaceChildren();
    try {
      call = await Call.start(config.streamUrl, profile.value.trim(), {
        status: (text) => { status.textContent = text; },
        level: (v) => { meter.style.width = `${Math.min(100, v * 300)}%`; },
        agentAudio: (n) => { audioCount.textContent = String(n); },
        started: (id) => { callId.textContent = id; },
        transcript,
        ended: () => { start.disabled = false; stop.disabled = true; },
      });
    } catch (e) {
      status.textContent = `Could not start: ${e.message}`;
      start.disabled = false;
      stop.disabled = true;
    }
  });
  stop.addEventListener('click', () => call && call.hangUp());
  root.replaceChildren(el('div', { class: 'card' },
    el('h1', {}, 'Talk to the agent'),
    el('div', { class: 'talk' },
      el('div', { class: 'panel' },
        el('p', {}, profile),
        el('div', { class: 'toolbar' }, start, stop),
        status,
        el('p', {}, 'Microphone'), el('div', { class: 'meter' }, meter),
        el('p', {}, 'Call ', callId),
        el('p', {}, 'Agent audio frames played: ', audioCount)),
      el('div', { class: 'panel' }, el('h2', {}, 'Live transcript'), transcript))));
}

export function leave() {
  if (call) {
    call.hangUp();
  }
}

class Call {
  static async start(url, profile, ui) {
    const media = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1 } });
    const context = new AudioContext({ sampleRate: RATE });
    await context.audioWorklet.addModule('talk-worklet.js');
    const socket = new WebSocket(url, ['voicebus.stream', `bearer.${token()}`]);
    socket.binaryType = 'arraybuffer';
    const instance = new Call(media, context, socket, ui);
    await new Promise((resolve, reject) => {
      socket.onopen = resolve;
      socket.onerror = () => reject(new Error('the stream refused the connection (token or URL)'));
    });
    instance.begin(profile);
    return instance;
  }

  constructor(media, context, socket, ui) {
    this.media = media;
    this.context = context;
    this.socket = socket;
    this.ui = ui;
    this.playhead = 0;
    this.sources = new Set();
    this.frames = 0;
    this.lines = new Map();
    this.unfollow = null;
    this.done = false;
  }

  begin(profile) {
    const start = { type: 'start', codec: 'pcm16' };
    if (profile) {
      start.agentProfile = profile;
    }
    this.socket.send(JSON.stringify(start));
    this.socket.onmessage = (event) => this.received(event.data);
    this.socket.onclose = (event) => this.finish(`Call ended (${event.code}${event.reason ? ': ' + event.reason : ''}).`);
    const source = this.context.createMediaStreamSource(this.media);
    const capture = new AudioWorkletNode(this.context, 'capture', { processorOptions: { frame: FRAME } });
    capture.port.onmessage = (event) => this.sendAudio(event.data);
    source.connect(capture);
    this.ui.status('Connecting…');
  }

  sendAudio(samples) {
    if (this.socket.readyState !== WebSocket.OPEN) {
      return;
    }
    const pcm = new Int16Array(samples.length);
    let peak = 0;
    for (let i = 0; i < samples.length; i++) {
      const s = Math.max(-1, Math.min(1, samples[i]));
      pcm[i] = s < 0 ? s * 0x8000 : s * 0x7fff;
      peak = Math.max(peak, Math.abs(s));
    }
    this.ui.level(peak);
    this.socket.send(pcm.buffer);
  }

  received(data) {
    if (data instanceof ArrayBuffer) {
      this.play(new Int16Array(data));
      return;
    }
    const message = JSON.parse(data);
    if (message.type === 'started') {
      this.ui.started(message.callId);
      this.ui.status('Talking: say something.');
      this.unfollow = follow(message.callId, (name, event) => this.transcribed(name, event));
    } else if (message.type === 'mark') {
      // Echoed once the audio before it has played, so the agent knows what the caller heard.
      const wait = Math.max(0, (this.playhead - this.context.currentTime) * 1000);
      setTimeout(() => this.send({ type: 'mark', name: message.name }), wait);
    } else if (message.type === 'clear') {
      this.sources.forEach((s) => s.stop());
      this.sources.clear();
      this.playhead = this.context.currentTime;
    } else if (message.type === 'hangup') {
      this.ui.status(`The agent hung up${message.reason ? ': ' + message.reason : ''}.`);
    }
  }

  play(pcm) {
    const buffer = this.context.createBuffer(1, pcm.length, RATE);
    const channel = buffer.getChannelData(0);
    for (let i = 0; i < pcm.length; i++) {
      channel[i] = pcm[i] / 0x8000;
    }
    const source = this.context.createBufferSource();
    source.buffer = buffer;
    source.connect(this.context.destination);
    this.playhead = Math.max(this.playhead, this.context.currentTime);
    source.start(this.playhead);
    this.playhead += buffer.duration;
    this.sources.add(source);
    source.onended = () => this.sources.delete(source);
    this.frames++;
    this.ui.agentAudio(this.frames);
  }

  transcribed(name, event) {
    if (name !== 'transcript') {
      return;
    }
    let line = this.lines.get(event.itemId);
    if (!line) {
      line = el('div', { class: `line ${event.speaker === 'AGENT' ? 'agent' : 'caller'}`, 'data-item-id': event.itemId });
      this.lines.set(event.itemId, line);
      this.ui.transcript.append(line);
    }
    if (event.kind === 'DELTA') {
      line.textContent += event.text;
    } else {
      line.textContent = event.text;
      line.classList.toggle('interrupted', event.interrupted);
    }
  }

  send(message) {
    if (this.socket.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify(message));
    }
  }

  hangUp() {
    this.send({ type: 'stop' });
    this.finish('Hung up.');
  }

  finish(text) {
    if (this.done) {
      return;
    }
    this.done = true;
    this.media.getTracks().forEach((t) => t.stop());
    this.ui.status(text);
    this.ui.ended();
    // The transcript keeps following until the call's document says it ended.
    setTimeout(() => { this.context.close(); }, 1000);
  }
}
