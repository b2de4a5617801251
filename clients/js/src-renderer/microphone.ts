// Microphone capture for an Electron renderer (or any page): the same AudioWorklet as Hearsay's own page
// (recorder-worklet.js, copied here at build), which mixes to mono, resamples and hands over PCM16 in 100 ms blocks.
// Send the blocks to the main process (IPC) and push them into `hearsay.dictate()`.

/** Options of {@link captureMicrophone}. */
export interface CaptureOptions {
  /** The PCM's sample rate: 24000 (default; a dictation's default) or 16000. */
  rate?: 24000 | 16000;
  /** Where the worklet module is; default `recorder-worklet.js` beside this module. */
  workletUrl?: string | URL;
  /** What to ask `getUserMedia` for; default `{ audio: true }`. */
  constraints?: MediaStreamConstraints;
}

/** A running capture. */
export interface MicrophoneCapture {
  /** The audio context's own rate, which the worklet resamples from. */
  readonly contextRate: number;
  /** Stops the microphone and the worklet; no block arrives after it resolves. */
  stop(): Promise<void>;
}

/**
 * Opens the microphone and calls `onPcm` with each block of mono little-endian PCM16 at `options.rate`. Rejects with
 * the browser's DOMException when the microphone is refused (`NotAllowedError`) or missing (`NotFoundError`).
 */
export async function captureMicrophone(onPcm: (pcm16: Int16Array) => void, options: CaptureOptions = {}): Promise<MicrophoneCapture> {
  const rate = options.rate ?? 24000;
  const stream = await navigator.mediaDevices.getUserMedia(options.constraints ?? { audio: true });
  const context = new AudioContext();
  try {
    await context.audioWorklet.addModule(options.workletUrl ?? new URL('./recorder-worklet.js', import.meta.url));
    // No outputs: the node is a sink, which the audio graph pulls without connecting it to the speakers.
    const node = new AudioWorkletNode(context, 'hearsay-pcm16', { numberOfInputs: 1, numberOfOutputs: 0, processorOptions: { rate } });
    node.port.onmessage = (message: MessageEvent<ArrayBuffer>) => onPcm(new Int16Array(message.data));
    context.createMediaStreamSource(stream).connect(node);
    let stopped = false;
    return {
      contextRate: context.sampleRate,
      async stop() {
        if (stopped) {
          return;
        }
        stopped = true;
        node.port.onmessage = null;
        stream.getTracks().forEach((track) => track.stop());
        await context.close();
      },
    };
  } catch (error) {
    stream.getTracks().forEach((track) => track.stop());
    await context.close();
    throw error;
  }
}
