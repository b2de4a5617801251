// Live dictation over Hearsay's Realtime transcription WebSocket (OpenAI's protocol; docs/adr/0013): PCM16 in, the
// server's events out as an async iterator.
import { HearsayConnectionError, HearsayError } from './errors';
import type { RealtimeServerEvent, RealtimeSessionUpdate } from './realtime-events';

/** Options of a dictation session, as OpenAI's transcription session names them (in camelCase). */
export interface DictateOptions {
  /** The PCM's sample rate: 24000 (OpenAI's, the default) or 16000 (Hearsay's option). */
  rate?: 24000 | 16000;
  /** ISO-639-1 code; default: detected, on multilingual models. */
  language?: string;
  /** Text that came before, to carry style and vocabulary across. */
  prompt?: string;
  /**
   * Server VAD (the default: OpenAI's threshold 0.5, 300 ms prefix padding, 500 ms silence), or `null`: no turn
   * detection, the app calls `commit()` at the end of each utterance.
   */
  turnDetection?: { threshold?: number; prefixPaddingMs?: number; silenceDurationMs?: number } | null;
}

/** What a Dictation needs of a WebSocket: the browser's API, which the `ws` package also has. */
export interface DictationSocket {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

const open = 1;
// One append event carries at most this much PCM (OpenAI's limit is 15 MiB of JSON per event).
const appendBytes = 1 << 20;

/**
 * One dictation session: push PCM16 (mono, little-endian, at the session's rate), and iterate the server's events
 * (`for await (const event of dictation)`). The iteration ends when the session closes; `close()` ends it.
 */
export class Dictation implements AsyncIterable<RealtimeServerEvent> {
  readonly #socket: DictationSocket;
  readonly #queue: RealtimeServerEvent[] = [];
  #waiting: ((result: IteratorResult<RealtimeServerEvent>) => void) | null = null;
  #failWaiting: ((error: unknown) => void) | null = null;
  #ended = false;
  #failure: unknown = null;
  readonly #closed: Promise<void>;

  /** The session as the server last confirmed it (`session.updated`). */
  readonly session: Record<string, unknown>;

  /** @internal Use `hearsay.dictate()`; the socket has sent `session.updated`. */
  constructor(socket: DictationSocket, session: Record<string, unknown>, url: string) {
    this.#socket = socket;
    this.session = session;
    let closed!: () => void;
    this.#closed = new Promise((resolve) => {
      closed = resolve;
    });
    socket.onmessage = (message) => this.#receive(parseEvent(message.data));
    socket.onerror = (error) => {
      this.#failure ??= new HearsayConnectionError(url, error);
    };
    socket.onclose = (event) => {
      if (event.code !== 1000 && event.code !== 1005) {
        this.#failure ??= new HearsayError(`The dictation session closed unexpectedly (WebSocket close code ${event.code}${event.reason ? `: ${event.reason}` : ''}).`);
      }
      this.#end();
      closed();
    };
  }

  /** Appends PCM16 samples (mono, little-endian bytes or an Int16Array) to the session's input audio buffer. */
  push(pcm16: Int16Array | Uint8Array): void {
    const bytes = pcm16 instanceof Int16Array ? littleEndianBytes(pcm16) : pcm16;
    if (bytes.byteLength % 2 !== 0) {
      throw new RangeError(`PCM16 has 2 bytes a sample; ${bytes.byteLength} bytes is not a whole number of samples.`);
    }
    for (let offset = 0; offset < bytes.byteLength; offset += appendBytes) {
      this.#send({ type: 'input_audio_buffer.append', audio: toBase64(bytes.subarray(offset, offset + appendBytes)) });
    }
  }

  /** Ends the utterance: the buffer so far becomes an item and is transcribed (needed without server VAD). */
  commit(): void {
    this.#send({ type: 'input_audio_buffer.commit' });
  }

  /** Drops the audio not yet committed. */
  clear(): void {
    this.#send({ type: 'input_audio_buffer.clear' });
  }

  /** Closes the session: the server drops its audio and any decode at once. Resolves once the socket is closed. */
  close(): Promise<void> {
    if (this.#socket.readyState <= open) {
      this.#socket.close(1000);
    }
    return this.#closed;
  }

  [Symbol.asyncIterator](): AsyncIterator<RealtimeServerEvent> {
    return {
      next: () => {
        const event = this.#queue.shift();
        if (event) {
          return Promise.resolve({ value: event, done: false });
        }
        if (this.#ended) {
          return this.#failure ? Promise.reject(this.#failure) : Promise.resolve({ value: undefined, done: true });
        }
        return new Promise((resolve, reject) => {
          this.#waiting = resolve;
          this.#failWaiting = reject;
        });
      },
      return: async () => {
        await this.close();
        return { value: undefined, done: true };
      },
    };
  }

  #receive(event: RealtimeServerEvent): void {
    const waiting = this.#waiting;
    if (waiting) {
      this.#waiting = null;
      this.#failWaiting = null;
      waiting({ value: event, done: false });
    } else {
      this.#queue.push(event);
    }
  }

  #end(): void {
    this.#ended = true;
    const waiting = this.#waiting;
    const fail = this.#failWaiting;
    this.#waiting = null;
    this.#failWaiting = null;
    if (this.#failure && fail) {
      fail(this.#failure);
    } else {
      waiting?.({ value: undefined, done: true });
    }
  }

  #send(event: object): void {
    if (this.#socket.readyState !== open) {
      throw new HearsayError('The dictation session is closed.');
    }
    this.#socket.send(JSON.stringify(event));
  }
}

/** The `session.update` event for `options`. */
export function sessionUpdate(options: DictateOptions): RealtimeSessionUpdate {
  const transcription: Record<string, string> = {};
  if (options.language !== undefined) {
    transcription.language = options.language;
  }
  if (options.prompt !== undefined) {
    transcription.prompt = options.prompt;
  }
  const vad = options.turnDetection;
  return {
    type: 'session.update',
    session: {
      type: 'transcription',
      audio: {
        input: {
          format: { type: 'audio/pcm', rate: options.rate ?? 24000 },
          transcription,
          turn_detection: vad === null
            ? null
            : {
                type: 'server_vad',
                ...(vad?.threshold !== undefined && { threshold: vad.threshold }),
                ...(vad?.prefixPaddingMs !== undefined && { prefix_padding_ms: vad.prefixPaddingMs }),
                ...(vad?.silenceDurationMs !== undefined && { silence_duration_ms: vad.silenceDurationMs }),
              },
        },
      },
    },
  };
}

/**
 * Opens a session on a socket just created: waits for `session.created`, sends the options and resolves once the
 * server confirms them. An `error` event in answer (a value Hearsay does not serve, say) rejects, closing the socket.
 */
export function startDictation(socket: DictationSocket, options: DictateOptions, url: string): Promise<Dictation> {
  return new Promise((resolve, reject) => {
    socket.onerror = (error) => reject(new HearsayConnectionError(url, error));
    socket.onclose = (event) => reject(new HearsayError(`The dictation session closed before it started (WebSocket close code ${event.code}).`));
    socket.onmessage = (message) => {
      const event = parseEvent(message.data);
      if (event.type === 'session.created') {
        socket.send(JSON.stringify(sessionUpdate(options)));
      } else if (event.type === 'session.updated') {
        resolve(new Dictation(socket, event.session, url));
      } else if (event.type === 'error') {
        socket.onclose = null;
        socket.close(1000);
        reject(new HearsayError(`Hearsay refused the dictation options: ${event.error.message}`));
      }
    };
  });
}

/** The session's URL for a server's base URL (`http://127.0.0.1:PORT`). */
export function realtimeUrl(baseUrl: string): string {
  const url = new URL('/v1/realtime?intent=transcription', baseUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

function parseEvent(data: unknown): RealtimeServerEvent {
  const text = typeof data === 'string' ? data : new TextDecoder().decode(data as ArrayBuffer | Uint8Array);
  return JSON.parse(text) as RealtimeServerEvent;
}

function littleEndianBytes(samples: Int16Array): Uint8Array {
  const bytes = new Uint8Array(samples.length * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < samples.length; i++) {
    view.setInt16(i * 2, samples[i]!, true);
  }
  return bytes;
}

function toBase64(bytes: Uint8Array): string {
  if (typeof Buffer !== 'undefined') {
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  }
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}
