// Collects the microphone's samples (already at the context's 24 kHz) into frames of a fixed size
// and hands each to the page, which sends it to ingest as pcm16.
class Capture extends AudioWorkletProcessor {
  constructor(options) {
    super();
    this.frame = options.processorOptions.frame;
    this.buffer = new Float32Array(this.frame);
    this.filled = 0;
  }

  process(inputs) {
    const input = inputs[0];
    if (input && input[0]) {
      const samples = input[0];
      let offset = 0;
      while (offset < samples.length) {
        const take = Math.min(this.frame - this.filled, samples.length - offset);
        this.buffer.set(samples.subarray(offset, offset + take), this.filled);
        this.filled += take;
        offset += take;
        if (this.filled === this.frame) {
          this.port.postMessage(this.buffer.slice(0));
          this.filled = 0;
        }
      }
    }
    return true;
  }
}

registerProcessor('capture', Capture);
