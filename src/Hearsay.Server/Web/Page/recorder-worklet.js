// Runs on the audio thread. 'hearsay-recorder' passes each block of microphone samples, mixed to mono, to the page;
// 'hearsay-pcm16' mixes to mono, resamples to processorOptions.rate and passes PCM16 (little-endian) in blocks of
// about 100 ms, for dictation.

function mixToMono(channels) {
  const mono = new Float32Array(channels[0].length);
  for (const channel of channels) {
    for (let i = 0; i < mono.length; i++) {
      mono[i] += channel[i] / channels.length;
    }
  }
  return mono;
}

class RecorderProcessor extends AudioWorkletProcessor {
  process(inputs) {
    const channels = inputs[0];
    if (channels && channels.length > 0) {
      const mono = mixToMono(channels);
      this.port.postMessage(mono, [mono.buffer]);
    }
    return true;
  }
}

class Pcm16Processor extends AudioWorkletProcessor {
  constructor(options) {
    super();
    this.rate = options.processorOptions.rate;
    // Input samples per output sample (`sampleRate` is the context's, a global of the worklet scope).
    this.step = sampleRate / this.rate;
    // Where the next output sample starts, in input samples from the start of `this.pending`.
    this.position = 0;
    this.pending = new Float32Array(0);
    this.blockLength = Math.round(this.rate / 10);
    this.block = new Int16Array(this.blockLength);
    this.filled = 0;
  }

  process(inputs) {
    const channels = inputs[0];
    if (channels && channels.length > 0) {
      this.resample(mixToMono(channels));
    }
    return true;
  }

  // Each output sample is the mean of the input samples it spans (a box filter against aliasing) when the context
  // runs faster than the target rate, else linear interpolation.
  resample(mono) {
    const input = new Float32Array(this.pending.length + mono.length);
    input.set(this.pending);
    input.set(mono, this.pending.length);
    const span = Math.max(this.step, 1);
    while (this.position + span <= input.length) {
      let value;
      if (this.step >= 1) {
        const first = Math.floor(this.position);
        const last = Math.floor(this.position + span);
        let sum = 0;
        for (let i = first; i < last; i++) {
          sum += input[i];
        }
        value = sum / Math.max(last - first, 1);
      } else {
        const index = Math.floor(this.position);
        const fraction = this.position - index;
        value = input[index] + (input[Math.min(index + 1, input.length - 1)] - input[index]) * fraction;
      }
      this.emit(value);
      this.position += this.step;
    }
    const keep = Math.floor(this.position);
    this.pending = input.slice(keep);
    this.position -= keep;
  }

  emit(value) {
    const clamped = Math.max(-1, Math.min(1, value));
    this.block[this.filled++] = Math.round(clamped * 32767);
    if (this.filled === this.blockLength) {
      // Transferred: the old block is detached (its length 0) and a new one takes its place.
      this.port.postMessage(this.block.buffer, [this.block.buffer]);
      this.block = new Int16Array(this.blockLength);
      this.filled = 0;
    }
  }
}

registerProcessor('hearsay-recorder', RecorderProcessor);
registerProcessor('hearsay-pcm16', Pcm16Processor);
