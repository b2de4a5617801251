// Records the microphone as PCM with an AudioWorklet and hands back a WAV: no MediaRecorder container, no ffmpeg.
import { encodeWav } from './wav.js';

export class Recorder {
  #stream;
  #context;
  #node;
  #chunks = [];

  static async start() {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    const context = new AudioContext();
    try {
      await context.audioWorklet.addModule(new URL('./recorder-worklet.js', import.meta.url));
      // No outputs: the node is a sink, which the audio graph pulls without connecting it to the speakers.
      const node = new AudioWorkletNode(context, 'hearsay-recorder', { numberOfInputs: 1, numberOfOutputs: 0 });
      const recorder = new Recorder(stream, context, node);
      context.createMediaStreamSource(stream).connect(node);
      return recorder;
    } catch (error) {
      stream.getTracks().forEach(track => track.stop());
      await context.close();
      throw error;
    }
  }

  constructor(stream, context, node) {
    this.#stream = stream;
    this.#context = context;
    this.#node = node;
    node.port.onmessage = event => this.#chunks.push(event.data);
  }

  get seconds() {
    return this.#chunks.reduce((sum, chunk) => sum + chunk.length, 0) / this.#context.sampleRate;
  }

  /** Stops the microphone and returns what was recorded as a WAV blob. */
  async stop() {
    this.#stream.getTracks().forEach(track => track.stop());
    this.#node.port.onmessage = null;
    const sampleRate = this.#context.sampleRate;
    await this.#context.close();
    const samples = new Float32Array(this.#chunks.reduce((sum, chunk) => sum + chunk.length, 0));
    let offset = 0;
    for (const chunk of this.#chunks) {
      samples.set(chunk, offset);
      offset += chunk.length;
    }
    return encodeWav(samples, sampleRate);
  }
}

/** Why the microphone could not be used, in plain words; `alternative` ends the advice ("or choose a file instead"). */
export function microphoneProblem(error, alternative) {
  switch (error.name) {
    case 'NotAllowedError':
      return `The microphone was not allowed: allow it in the browser or system settings, ${alternative}.`;
    case 'NotFoundError':
      return `No microphone was found: connect one, ${alternative}.`;
    default:
      return `The microphone could not be used: ${error.message}`;
  }
}
