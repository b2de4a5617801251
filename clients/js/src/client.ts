import { EventEmitter } from 'node:events';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  HearsayApiError,
  HearsayConnectionError,
  HearsayCrashedError,
  HearsayDownloadError,
  HearsayNotReadyError,
  HearsayUnavailableError,
} from './errors';
import { readServerSentEvents } from './sse';
import { Dictation, realtimeUrl, startDictation } from './dictation';
import type { DictateOptions, DictationSocket } from './dictation';
import type {
  Capability,
  CapabilityState,
  CatalogEntry,
  CatalogList,
  DownloadProgress,
  HearsayStatus,
  ModelList,
  Transcription,
  TranscriptTextEvent,
  VerboseTranscription,
  VerifyResult,
} from './wire';

/** Where the server is now: it changes when the sidecar restarts. */
export interface Connection {
  readonly url: string;
  readonly token: string;
  /** Counts up with each process: a connection of an older one is stale. */
  readonly generation: number;
}

/** Audio to transcribe: bytes, a Blob or File, or a path to a file. */
export type AudioInput = Blob | Uint8Array | ArrayBuffer | string;

/** Options of a transcription, as OpenAI's API names them (in camelCase). */
export interface TranscribeOptions {
  /** Default `whisper-1`, which means the model the server serves (as does its catalog id). */
  model?: string;
  /** ISO-639-1 code (`en`, `de`); default: detected, on multilingual models. */
  language?: string;
  /** Text that came before, to carry style and vocabulary across. */
  prompt?: string;
  /** `json` (default), `verbose_json`, `text`, `srt` or `vtt`. */
  responseFormat?: 'json' | 'verbose_json' | 'text' | 'srt' | 'vtt';
  /** 0 to 1; default 0 with OpenAI's fallback to higher temperatures. */
  temperature?: number;
  /** Send the text as server-sent events while it is decoded (json or text format only). */
  stream?: boolean;
  /** `['word']` (or `['word', 'segment']`) adds word times: `words` in `verbose_json`, a cue per word in `srt`/`vtt`. */
  timestampGranularities?: ('word' | 'segment')[];
  /** Hearsay's: `srt`/`vtt` cues of whole words up to this many characters (with `word` granularity). */
  maxLineWidth?: number;
  /** The file name sent with the audio; default the path's name, the File's name, or `audio.wav`. */
  filename?: string;
  signal?: AbortSignal;
}

/** Options of a speech request. */
export interface SpeakOptions {
  /** An OpenAI voice name (`alloy`, `echo`, …), the served voice's id, or one of its speakers; default `alloy`. */
  voice?: string;
  /** Default `tts-1`, which means the voice the server serves. */
  model?: string;
  /** `wav` (default here: it needs no ffmpeg), `pcm` (16-bit mono), or `mp3`, `opus`, `aac`, `flac` when the server has ffmpeg. */
  responseFormat?: 'wav' | 'pcm' | 'mp3' | 'opus' | 'aac' | 'flac';
  /** 0.25 to 4; default 1. */
  speed?: number;
  signal?: AbortSignal;
}

/** Options of {@link HearsayClient.download}. */
export interface DownloadOptions {
  /** Called with each progress report, from the status stream. */
  onProgress?: (progress: DownloadProgress) => void;
  /** Install the catalog's newer version over an installed one. */
  replace?: boolean;
  /** Stops waiting (the download itself goes on: {@link HearsayClient.cancelDownload} cancels it). */
  signal?: AbortSignal;
}

/** Options of {@link HearsayClient.waitUntilReady}. */
export interface WaitUntilReadyOptions {
  /** The capabilities to wait for; default every one that is not disabled. */
  require?: Capability[];
  /** Default 60 000. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** States a capability does not leave without something being done: waiting for it would only time out. */
const stuckStates: ReadonlySet<CapabilityState> = new Set(['disabled', 'not_installed', 'error', 'unavailable']);

type RequestBody = string | FormData | undefined;

interface SendOptions {
  body?: RequestBody;
  contentType?: string;
  accept?: string;
  signal?: AbortSignal | undefined;
  /** The capability the route needs, named in a 503. */
  capability?: Capability;
}

/**
 * Hearsay's HTTP API, typed. Every call goes to wherever the sidecar is now: after a restart that is a new URL and
 * token, and a call that failed because the old process died is sent once more to the new one.
 */
export abstract class HearsayClient extends EventEmitter {
  #statusLoop: AbortController | null = null;

  constructor() {
    super();
    // A 'status' listener starts one shared status stream; removing the last one ends it.
    this.on('newListener', (event: string) => {
      if (event === 'status' && this.listenerCount('status') === 0) {
        queueMicrotask(() => this.#startStatusLoop());
      }
    });
    this.on('removeListener', (event: string) => {
      if (event === 'status' && this.listenerCount('status') === 0) {
        this.#statusLoop?.abort();
        this.#statusLoop = null;
      }
    });
  }

  /** The connection to use now; waits while the sidecar restarts. */
  protected abstract connection(): Promise<Connection>;

  /**
   * After a call to `failed` could not connect: resolves true once a new process has taken over (send again), false
   * when the same process still runs (the failure was something else).
   */
  protected abstract recover(failed: Connection): Promise<boolean>;

  /** Aborted when the client is done for good (stopped, or the sidecar gave up). */
  protected abstract get closed(): AbortSignal;

  /**
   * Live dictation (`GET /v1/realtime?intent=transcription`, OpenAI's Realtime transcription session): resolves once
   * the session runs with `options`. Push PCM16 with `push()`, iterate the server's events, `close()` when done.
   * A server whose speech-to-text is not ready rejects with HearsayUnavailableError, as a transcription would.
   */
  async dictate(options: DictateOptions = {}): Promise<Dictation> {
    const connection = await this.connection();
    const url = realtimeUrl(connection.url);
    // Node 20 has no WebSocket of its own; `ws` speaks the browser's API, with headers.
    const WebSocket = require('ws') as WsConstructor;
    const socket = new WebSocket(url, { headers: { authorization: `Bearer ${connection.token}` } });
    const refused = new Promise<never>((_, reject) => {
      socket.on('unexpected-response', (_request, response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(response.headers)) {
            if (typeof value === 'string') {
              headers.set(name, value);
            }
          }
          const answer = new Response(Buffer.concat(chunks), { status: response.statusCode ?? 500, headers });
          this.#errorFrom(answer, 'GET', '/v1/realtime', 'stt').then(reject, reject);
        });
      });
    });
    return Promise.race([startDictation(socket, options, url), refused]);
  }

  /** `GET /v1/status`: both capabilities' states, downloads in progress, the version and external programs. */
  async status(signal?: AbortSignal): Promise<HearsayStatus> {
    return this.#json<HearsayStatus>('GET', '/v1/status', { signal });
  }

  /**
   * Status events (`GET /v1/status/events`): the current status at once, then one per change, download progress
   * included. Reconnects by itself when the sidecar restarts; ends when the signal aborts or the sidecar is stopped,
   * and throws when it gave up restarting. The 'status' event of this object carries the same statuses.
   */
  async *statusEvents(options: { signal?: AbortSignal } = {}): AsyncGenerator<HearsayStatus> {
    const { signal } = options;
    while (!signal?.aborted && !this.closed.aborted) {
      let connection: Connection;
      try {
        connection = await this.connection();
      } catch (error) {
        if (error instanceof HearsayCrashedError || !this.closed.aborted) {
          throw error;
        }
        return;
      }
      const stream = linkedController(signal, this.closed);
      try {
        const response = await fetch(`${connection.url}/v1/status/events`, {
          headers: { authorization: `Bearer ${connection.token}`, accept: 'text/event-stream' },
          signal: stream.signal,
        });
        if (!response.ok) {
          // 401 after a restart: the token is stale, and the next round takes the new one.
          if (response.status !== 401) {
            throw await this.#errorFrom(response, 'GET', '/v1/status/events', undefined);
          }
          await response.body?.cancel();
        } else if (response.body) {
          for await (const event of readServerSentEvents(response.body)) {
            if (event.event === 'status') {
              yield JSON.parse(event.data) as HearsayStatus;
            }
          }
        }
      } catch (error) {
        if (error instanceof HearsayApiError && !stream.signal.aborted) {
          throw error;
        }
        // Aborted (the loop ends below), or the stream broke: the sidecar died or restarts, and the next round waits for it.
      } finally {
        stream.abort();
      }
      if (!signal?.aborted && !this.closed.aborted) {
        await this.recover(connection).catch(() => false);
        await delay(100, signal);
      }
    }
    if (!signal?.aborted && this.closed.reason instanceof HearsayCrashedError) {
      throw this.closed.reason;
    }
  }

  /**
   * Transcribes audio (`POST /v1/audio/transcriptions`). The result's shape follows `responseFormat`: `{text}` for
   * json, the verbose object for verbose_json, a string for text, srt and vtt. With `stream: true` it resolves, once
   * the server has accepted the audio, to the events as they are decoded (see {@link transcribeStream}).
   */
  transcribe(file: AudioInput, options: TranscribeOptions & { stream: true }): Promise<AsyncIterable<TranscriptTextEvent>>;
  transcribe(file: AudioInput, options: TranscribeOptions & { responseFormat: 'verbose_json'; stream?: false }): Promise<VerboseTranscription>;
  transcribe(file: AudioInput, options: TranscribeOptions & { responseFormat: 'text' | 'srt' | 'vtt'; stream?: false }): Promise<string>;
  transcribe(file: AudioInput, options?: TranscribeOptions & { responseFormat?: 'json'; stream?: false }): Promise<Transcription>;
  transcribe(file: AudioInput, options?: TranscribeOptions): Promise<Transcription | VerboseTranscription | string | AsyncIterable<TranscriptTextEvent>>;
  async transcribe(
    file: AudioInput,
    options: TranscribeOptions = {},
  ): Promise<Transcription | VerboseTranscription | string | AsyncIterable<TranscriptTextEvent>> {
    const form = await transcriptionForm(file, options);
    const response = await this.#send('POST', '/v1/audio/transcriptions', {
      body: form,
      accept: options.stream ? 'text/event-stream' : undefined,
      signal: options.signal,
      capability: 'stt',
    });
    if (options.stream) {
      return transcriptEvents(response);
    }
    const format = options.responseFormat ?? 'json';
    return format === 'json' || format === 'verbose_json' ? ((await response.json()) as Transcription | VerboseTranscription) : response.text();
  }

  /**
   * A streamed transcription: one `transcript.text.delta` per decoded segment, then `transcript.text.done` with the
   * whole text. The request is sent when iteration starts; an error in the middle is thrown as a {@link HearsayApiError}.
   */
  async *transcribeStream(file: AudioInput, options: Omit<TranscribeOptions, 'stream'> = {}): AsyncGenerator<TranscriptTextEvent> {
    yield* await this.transcribe(file, { ...options, stream: true });
  }

  /**
   * Speaks text (`POST /v1/audio/speech`): resolves, once the server has accepted the request, to the audio as a web
   * ReadableStream (also an async iterable of Uint8Array chunks). The audio arrives sentence by sentence, so playback
   * can start before the whole text is spoken. A wav stream's header declares an unknown length.
   */
  async speak(input: string, options: SpeakOptions = {}): Promise<ReadableStream<Uint8Array>> {
    const body = JSON.stringify({
      model: options.model ?? 'tts-1',
      input,
      voice: options.voice ?? 'alloy',
      response_format: options.responseFormat ?? 'wav',
      ...(options.speed === undefined ? {} : { speed: options.speed }),
    });
    const response = await this.#send('POST', '/v1/audio/speech', {
      body,
      contentType: 'application/json',
      signal: options.signal,
      capability: 'tts',
    });
    return response.body as ReadableStream<Uint8Array>;
  }

  /** {@link speak}, with the whole audio in one Buffer. */
  async speakToBuffer(input: string, options: SpeakOptions = {}): Promise<Buffer> {
    const chunks: Uint8Array[] = [];
    for await (const chunk of await this.speak(input, options)) {
      chunks.push(chunk);
    }
    return Buffer.concat(chunks);
  }

  /** `GET /v1/models`: the models and OpenAI aliases this server answers to. */
  async models(signal?: AbortSignal): Promise<ModelList> {
    return this.#json<ModelList>('GET', '/v1/models', { signal });
  }

  /** `GET /v1/catalog/models`: every catalog model with its install state and size, and the store's folder. */
  async catalog(options: { kind?: 'stt' | 'tts' | 'vad'; installed?: boolean; signal?: AbortSignal } = {}): Promise<CatalogList> {
    const query = new URLSearchParams();
    if (options.kind) {
      query.set('kind', options.kind);
    }
    if (options.installed !== undefined) {
      query.set('installed', String(options.installed));
    }
    const suffix = query.toString() ? `?${query}` : '';
    return this.#json<CatalogList>('GET', `/v1/catalog/models${suffix}`, { signal: options.signal });
  }

  /** `GET /v1/catalog/models/{id}`: one model with its install state. */
  async catalogEntry(id: string, signal?: AbortSignal): Promise<CatalogEntry> {
    return this.#json<CatalogEntry>('GET', modelPath(id), { signal });
  }

  /**
   * Downloads a catalog model into the store and resolves, with its catalog entry, once it is installed (at once when
   * it already is). Progress comes from the status stream. A capability waiting for the model loads it by itself.
   * @throws {HearsayDownloadError} when the download fails, is cancelled, or stops because the sidecar restarted
   * (calling download again resumes it).
   */
  async download(id: string, options: DownloadOptions = {}): Promise<CatalogEntry> {
    const watch = linkedController(options.signal, this.closed);
    // Subscribed before the download starts, so that no report is missed; the first event is the current status.
    const events = this.statusEvents({ signal: watch.signal });
    try {
      await events.next();
      const response = await this.#send('POST', `${modelPath(id)}/download${options.replace ? '?replace=true' : ''}`, {
        signal: options.signal,
      });
      if (response.status !== 202) {
        return (await response.json()) as CatalogEntry;
      }
      let last = (await response.json()) as DownloadProgress;
      options.onProgress?.(last);
      for await (const status of events) {
        const progress = status.downloads.find((download) => download.model === id);
        if (progress) {
          if (!sameProgress(progress, last)) {
            last = progress;
            options.onProgress?.(progress);
          }
          if (progress.phase === 'installed') {
            return await this.catalogEntry(id, options.signal);
          }
          if (progress.phase === 'failed' || progress.phase === 'cancelled') {
            throw downloadEnded(id, progress.phase, progress);
          }
          continue;
        }
        // Not in this status: it ended and the report of how was overtaken by a later change, or this status
        // predates the download. The catalog knows which.
        const entry = await this.catalogEntry(id, options.signal);
        if (entry.state === 'installed' || entry.state === 'update_available' || entry.state === 'built_in') {
          return entry;
        }
        if (entry.state !== 'downloading') {
          const phase = entry.download?.phase;
          throw downloadEnded(id, phase === 'failed' || phase === 'cancelled' ? phase : 'interrupted', entry.download ?? last);
        }
      }
      options.signal?.throwIfAborted();
      throwIfClosed(this.closed);
      throw downloadEnded(id, 'interrupted', last);
    } finally {
      watch.abort();
      await events.return(undefined);
    }
  }

  /** Cancels a running download (`DELETE …/download`), keeping what arrived so the next download resumes it. */
  async cancelDownload(id: string, signal?: AbortSignal): Promise<DownloadProgress> {
    return this.#json<DownloadProgress>('DELETE', `${modelPath(id)}/download`, { signal });
  }

  /** Deletes an installed model from the store; a capability serving it becomes `not_installed`. */
  async deleteModel(id: string, signal?: AbortSignal): Promise<void> {
    const response = await this.#send('DELETE', modelPath(id), { signal });
    await response.body?.cancel();
  }

  /** Re-hashes an installed model's files against the sizes and hashes it was installed with. */
  async verify(id: string, signal?: AbortSignal): Promise<VerifyResult> {
    return this.#json<VerifyResult>('POST', `${modelPath(id)}/verify`, { signal });
  }

  /**
   * Resolves with the status once the required capabilities are `ready` (models load in the background after
   * start, and after a download or a restart).
   * @throws {HearsayNotReadyError} at once when a required capability is in a state it does not leave by itself
   * (`not_installed`: download its model first; `unavailable`, `error`, `disabled`: the message says why), or when
   * `timeoutMs` passes.
   */
  async waitUntilReady(options: WaitUntilReadyOptions = {}): Promise<HearsayStatus> {
    const timeoutMs = options.timeoutMs ?? 60_000;
    const watch = linkedController(options.signal, this.closed);
    const timer = setTimeout(() => watch.abort(), timeoutMs);
    let last: HearsayStatus | null = null;
    try {
      for await (const status of this.statusEvents({ signal: watch.signal })) {
        last = status;
        const required = options.require ?? (['stt', 'tts'] as Capability[]).filter((name) => status[name].state !== 'disabled');
        const waiting = required.filter((name) => status[name].state !== 'ready');
        if (waiting.length === 0) {
          return status;
        }
        const stuck = waiting.filter((name) => stuckStates.has(status[name].state));
        if (stuck.length > 0) {
          throw new HearsayNotReadyError(
            `Not ready, and waiting will not change that: ${stuck.map((name) => describeCapability(name, status)).join(' ')}`,
            stuck,
            status,
            false,
          );
        }
      }
    } finally {
      clearTimeout(timer);
      watch.abort();
    }
    options.signal?.throwIfAborted();
    throwIfClosed(this.closed);
    const waiting = last ? (options.require ?? (['stt', 'tts'] as Capability[])).filter((name) => last![name].state !== 'ready') : [];
    throw new HearsayNotReadyError(
      `Not ready within ${timeoutMs} ms: ${last ? waiting.map((name) => describeCapability(name, last!)).join(' ') : 'no status arrived.'} ` +
        'A large model on a slow machine may need a larger timeoutMs.',
      waiting,
      last,
      true,
    );
  }

  /** Keeps the 'status' event fed while anyone listens to it. */
  #startStatusLoop(): void {
    if (this.#statusLoop || this.listenerCount('status') === 0) {
      return;
    }
    const loop = new AbortController();
    this.#statusLoop = loop;
    void (async () => {
      try {
        for await (const status of this.statusEvents({ signal: loop.signal })) {
          this.emit('status', status);
        }
      } catch {
        // Gave up restarting: the 'error' event says so.
      } finally {
        if (this.#statusLoop === loop) {
          this.#statusLoop = null;
        }
      }
    })();
  }

  async #json<T>(method: string, route: string, options: SendOptions): Promise<T> {
    const response = await this.#send(method, route, options);
    return (await response.json()) as T;
  }

  /** Sends a request to the current server and returns its response when it is a success. */
  async #send(method: string, route: string, options: SendOptions, retried = false): Promise<Response> {
    const connection = await this.connection();
    const headers: Record<string, string> = { authorization: `Bearer ${connection.token}` };
    if (options.contentType) {
      headers['content-type'] = options.contentType;
    }
    if (options.accept) {
      headers.accept = options.accept;
    }
    let response: Response;
    try {
      response = await fetch(`${connection.url}${route}`, { method, headers, body: options.body ?? null, signal: options.signal ?? null });
    } catch (error) {
      if (options.signal?.aborted) {
        throw error;
      }
      // The process may have died under this call: once its successor is up, the call goes there.
      if (!retried && (await this.recover(connection))) {
        return this.#send(method, route, options, true);
      }
      throw new HearsayConnectionError(connection.url, error);
    }
    if (response.status === 401 && !retried && (await this.connection()).generation !== connection.generation) {
      // The token of a process that has just been replaced.
      await response.body?.cancel();
      return this.#send(method, route, options, true);
    }
    if (!response.ok) {
      throw await this.#errorFrom(response, method, route, options.capability);
    }
    return response;
  }

  async #errorFrom(response: Response, method: string, route: string, capability: Capability | undefined): Promise<HearsayApiError> {
    const text = await response.text().catch(() => '');
    const body = errorBody(text, response);
    const retryAfter = Number.parseInt(response.headers.get('retry-after') ?? '', 10);
    const retryAfterSeconds = Number.isFinite(retryAfter) ? retryAfter : null;
    if (response.status !== 503) {
      return new HearsayApiError(response.status, body, retryAfterSeconds, method, route);
    }
    let detail: { state: CapabilityState; reason?: string | null; model?: string | null } | null = null;
    if (capability) {
      try {
        detail = (await this.status())[capability];
      } catch {
        // The message still says the state; the structured fields stay null.
      }
    }
    return new HearsayUnavailableError(response.status, body, retryAfterSeconds, method, route, capability ?? null, detail);
  }
}

async function transcriptionForm(file: AudioInput, options: TranscribeOptions): Promise<FormData> {
  const form = new FormData();
  let blob: Blob;
  let name = options.filename;
  if (typeof file === 'string') {
    blob = new Blob([await readFile(file)]);
    name ??= path.basename(file);
  } else if (file instanceof Blob) {
    blob = file;
    name ??= (file as Blob & { name?: string }).name || undefined;
  } else {
    blob = new Blob([file]);
  }
  form.append('file', blob, name ?? 'audio.wav');
  form.append('model', options.model ?? 'whisper-1');
  const fields: Record<string, string | number | boolean | undefined> = {
    language: options.language,
    prompt: options.prompt,
    response_format: options.responseFormat,
    temperature: options.temperature,
    stream: options.stream || undefined,
    max_line_width: options.maxLineWidth,
  };
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) {
      form.append(key, String(value));
    }
  }
  for (const granularity of options.timestampGranularities ?? []) {
    form.append('timestamp_granularities[]', granularity);
  }
  return form;
}

async function* transcriptEvents(response: Response): AsyncGenerator<TranscriptTextEvent> {
  if (!response.body) {
    return;
  }
  for await (const event of readServerSentEvents(response.body)) {
    if (event.data === '[DONE]') {
      return;
    }
    const value = JSON.parse(event.data) as TranscriptTextEvent | { error: { message: string; type: string; param: string | null; code: string | null } };
    if ('error' in value) {
      // The stream had already started with 200, so the failure comes as an event; it is a server-side failure.
      throw new HearsayApiError(500, value.error, null, 'POST', '/v1/audio/transcriptions');
    }
    yield value;
    if (value.type === 'transcript.text.done') {
      return;
    }
  }
}

function errorBody(text: string, response: Response): { message: string; type: string; param: string | null; code: string | null } {
  try {
    const error = (JSON.parse(text) as { error?: { message?: unknown; type?: unknown; param?: unknown; code?: unknown } }).error;
    if (error && typeof error.message === 'string') {
      return {
        message: error.message,
        type: typeof error.type === 'string' ? error.type : 'server_error',
        param: typeof error.param === 'string' ? error.param : null,
        code: typeof error.code === 'string' ? error.code : null,
      };
    }
  } catch {
    // Not the envelope (a proxy's page, an empty body): the text itself is the message.
  }
  return {
    message: text.trim() || `${response.status} ${response.statusText}`.trim(),
    type: response.status >= 500 ? 'server_error' : 'invalid_request_error',
    param: null,
    code: null,
  };
}

function describeCapability(name: Capability, status: HearsayStatus): string {
  const capability = status[name];
  const label = name === 'stt' ? 'speech-to-text' : 'text-to-speech';
  const model = capability.model ?? 'no model';
  const size = capability.size_bytes ? ` (${Math.round(capability.size_bytes / 1e6)} MB)` : '';
  const fixes: Partial<Record<CapabilityState, string>> = {
    not_installed: `With the kit: download('${model}')${size}, then wait again.`,
    disabled: `It was turned off (${name}: 'none'); start Hearsay with a model to use it.`,
  };
  return [`${label} (${model}) is ${capability.state}.`, capability.reason, fixes[capability.state]].filter(Boolean).join(' ');
}

function downloadEnded(id: string, outcome: 'failed' | 'cancelled' | 'interrupted', progress: DownloadProgress | null): HearsayDownloadError {
  const messages = {
    failed: `Downloading '${id}' did not finish. ${progress?.reason ?? progress?.error ?? 'The server gave no reason.'} Calling download again resumes it.`,
    cancelled: `Downloading '${id}' was cancelled; what arrived is kept, and calling download again resumes it.`,
    interrupted: `Downloading '${id}' stopped before it finished (the sidecar restarted, or another client cancelled it); calling download again resumes it.`,
  };
  return new HearsayDownloadError(id, outcome, messages[outcome], progress);
}

function sameProgress(a: DownloadProgress, b: DownloadProgress): boolean {
  return a.phase === b.phase && a.bytes_done === b.bytes_done && a.file === b.file;
}

function modelPath(id: string): string {
  return `/v1/catalog/models/${encodeURIComponent(id)}`;
}

/** Throws why the client is done (stopped, or gave up restarting), if it is. */
function throwIfClosed(closed: AbortSignal): void {
  if (closed.aborted) {
    throw closed.reason;
  }
}

/** An AbortController that also aborts when any of the given signals does. */
export function linkedController(...signals: Array<AbortSignal | undefined>): AbortController {
  const controller = new AbortController();
  for (const signal of signals) {
    if (!signal) {
      continue;
    }
    if (signal.aborted) {
      controller.abort(signal.reason);
      break;
    }
    const onAbort = () => controller.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    controller.signal.addEventListener('abort', () => signal.removeEventListener('abort', onAbort), { once: true });
  }
  return controller;
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

/** What `dictate()` uses of the `ws` package (its types are not a dependency). */
type WsConstructor = new (url: string, options: { headers: Record<string, string> }) => DictationSocket & {
  on(event: 'unexpected-response', listener: (request: unknown, response: import('node:http').IncomingMessage) => void): void;
};
