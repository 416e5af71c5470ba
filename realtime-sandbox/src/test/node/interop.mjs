// Interop check: the official OpenAI Node SDK holds a Realtime session against the Voicebus sandbox.
// Usage: SANDBOX_BASE_URL=https://127.0.0.1:PORT/v1 SANDBOX_CA=/path/ca.pem node interop.mjs
// Prints one JSON summary line on stdout; exits non-zero on any error event, socket error or timeout.
import { readFileSync } from 'node:fs';
import OpenAI from 'openai';
import { OpenAIRealtimeWS } from 'openai/realtime/ws';

const baseURL = process.env.SANDBOX_BASE_URL;
const caPath = process.env.SANDBOX_CA;
if (!baseURL || !caPath) {
  console.error('SANDBOX_BASE_URL and SANDBOX_CA are required');
  process.exit(2);
}

// G.711 mu-law encoder and a speech-like signal (120 Hz voice + formant tones, 4 Hz syllables).
function linearToUlaw(sample) {
  const BIAS = 0x84;
  let sign = (sample >> 8) & 0x80;
  if (sign) sample = -sample;
  if (sample > 32635) sample = 32635;
  sample += BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (sample & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (sample >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}
function speechSample(i, rate) {
  const t = i / rate;
  const phase = (t / 0.25) % 1;
  if (phase >= 0.8) return 0;
  const env = Math.sin((Math.PI * phase) / 0.8) ** 2;
  const v = 0.45 * Math.sin(2 * Math.PI * 120 * t) + 0.3 * Math.sin(2 * Math.PI * 700 * t)
    + 0.2 * Math.sin(2 * Math.PI * 1200 * t);
  return Math.round(9000 * env * v);
}
function callerAudio() {
  const ms = [400, 1200, 900]; // silence, speech, silence
  const total = (ms[0] + ms[1] + ms[2]) * 8;
  const out = Buffer.alloc(total);
  for (let i = 0; i < total; i++) {
    const inSpeech = i >= ms[0] * 8 && i < (ms[0] + ms[1]) * 8;
    out[i] = linearToUlaw(inSpeech ? speechSample(i - ms[0] * 8, 8000) : 0);
  }
  return out;
}

const summary = {
  sessionCreated: false, sessionUpdated: false, outputFormat: null, order: [], counts: {},
  speechStartedMs: null, speechStoppedMs: null, inputTranscript: null,
  responseStatus: null, audioDeltas: 0, audioBytes: 0, transcript: '', usageTotalTokens: null,
};
let finished = false;
function finish(code, message) {
  if (finished) return;
  finished = true;
  if (message) console.error(message);
  console.log(JSON.stringify(summary));
  try { rt.close(); } catch { /* already closed */ }
  setTimeout(() => process.exit(code), 50);
}
setTimeout(() => finish(3, 'timeout: no complete response within 20 s'), 20000);

const client = new OpenAI({ apiKey: 'sk-sandbox-interop', baseURL });
const rt = new OpenAIRealtimeWS({ model: 'gpt-realtime', options: { ca: readFileSync(caPath) } }, client);

rt.on('error', (err) => finish(1, `realtime error: ${err?.message ?? err}`));
rt.socket.on('close', (code, reason) => {
  if (!finished) finish(4, `socket closed early: ${code} ${reason}`);
});
rt.socket.on('open', () => {
  rt.send({
    type: 'session.update',
    session: {
      type: 'realtime',
      instructions: 'You are the Acme support line. [scenario:default]',
      audio: {
        input: {
          format: { type: 'audio/pcmu' },
          transcription: { model: 'whisper-1' },
          turn_detection: { type: 'server_vad', threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: 500 },
        },
        output: { format: { type: 'audio/pcmu' }, voice: 'marin' },
      },
    },
  });
});

rt.on('event', (event) => {
  summary.counts[event.type] = (summary.counts[event.type] ?? 0) + 1;
  if (!summary.order.includes(event.type)) summary.order.push(event.type);
});
rt.on('session.created', () => { summary.sessionCreated = true; });
rt.on('session.updated', (event) => {
  summary.sessionUpdated = true;
  summary.outputFormat = event.session.audio.output.format.type;
  const audio = callerAudio();
  for (let off = 0; off < audio.length; off += 160) {
    rt.send({ type: 'input_audio_buffer.append', audio: audio.subarray(off, off + 160).toString('base64') });
  }
});
rt.on('input_audio_buffer.speech_started', (e) => { summary.speechStartedMs = e.audio_start_ms; });
rt.on('input_audio_buffer.speech_stopped', (e) => { summary.speechStoppedMs = e.audio_end_ms; });
rt.on('conversation.item.input_audio_transcription.completed', (e) => { summary.inputTranscript = e.transcript; });
rt.on('response.output_audio.delta', (e) => {
  summary.audioDeltas++;
  summary.audioBytes += Buffer.from(e.delta, 'base64').length;
});
rt.on('response.output_audio_transcript.delta', (e) => { summary.transcript += e.delta; });
rt.on('response.done', (e) => {
  summary.responseStatus = e.response.status;
  summary.usageTotalTokens = e.response.usage?.total_tokens ?? null;
  finish(e.response.status === 'completed' ? 0 : 5);
});
