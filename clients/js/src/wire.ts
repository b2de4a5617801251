// The JSON shapes of Hearsay's HTTP API, field for field as the server sends them (snake_case, as OpenAI's API and
// its SDKs have them). src/Hearsay.Contracts is the source of truth; these mirror it, and tests/wire.test.js checks
// every type here against the server's OpenAPI document (names, JSON types, which fields every body has).

/** Where a capability (speech-to-text or text-to-speech) stands. */
export type CapabilityState = 'disabled' | 'not_installed' | 'downloading' | 'loading' | 'ready' | 'error' | 'unavailable';

/** The two capabilities: speech-to-text and text-to-speech. */
export type Capability = 'stt' | 'tts';

/** The kind of a download failure, to branch on (never on the reason's words). */
export type DownloadFailure =
  | 'no_connection'
  | 'not_found'
  | 'server_error'
  | 'integrity_check_failed'
  | 'disk_full'
  | 'store_not_writable';

/** How far one model's download has come. */
export interface DownloadProgress {
  model: string;
  /** `waiting`, `downloading`, `retrying` (an attempt failed; the next comes after a wait), `verifying`, `installed`, `failed` or `cancelled`. */
  phase: 'waiting' | 'downloading' | 'retrying' | 'verifying' | 'installed' | 'failed' | 'cancelled';
  bytes_done: number;
  total_bytes: number;
  bytes_per_second?: number | null;
  eta_seconds?: number | null;
  file?: string | null;
  /** The technical detail of a failure (phases `failed` and `retrying`): URL, HTTP status, system error. For logs and a "Details" toggle. */
  error?: string | null;
  /** The kind of failure (phases `failed` and `retrying`). */
  failure?: DownloadFailure | null;
  /** What happened and what to do, in plain words for people (phases `failed` and `retrying`). */
  reason?: string | null;
}

/** One capability's state. */
export interface CapabilityStatus {
  state: CapabilityState;
  /** The catalog id (or path) of the model it serves; absent when disabled. */
  model?: string | null;
  /** Why it is not ready, in a sentence for people. */
  reason?: string | null;
  download?: DownloadProgress | null;
  /** The model's download size, when it comes from the catalog. */
  size_bytes?: number | null;
}

/** An external program Hearsay runs (espeak-ng, ffmpeg). */
export interface ToolStatus {
  name: string;
  found: boolean;
  path?: string | null;
  version?: string | null;
  used_for: string;
  reason?: string | null;
}

/** `GET /v1/status`, and each `status` event of `/v1/status/events`. */
export interface HearsayStatus {
  stt: CapabilityStatus;
  tts: CapabilityStatus;
  /** Downloads in progress; a download that just ended appears once more with its final phase. */
  downloads: DownloadProgress[];
  version: string;
  /** The external programs Hearsay runs (espeak-ng, ffmpeg). */
  tools: ToolStatus[];
}

/** One model of `GET /v1/catalog/models`. */
export interface CatalogEntry {
  id: string;
  kind: 'stt' | 'tts' | 'vad';
  engine: string;
  languages: string[];
  size_bytes: number;
  license?: string | null;
  description?: string | null;
  /** `built_in`, `installed`, `update_available`, `downloading`, `partial` or `not_installed`. */
  state: 'built_in' | 'installed' | 'update_available' | 'downloading' | 'partial' | 'not_installed';
  download?: DownloadProgress | null;
}

/** `GET /v1/catalog/models`. */
export interface CatalogList {
  models: CatalogEntry[];
  store_path: string;
}

/** `POST /v1/catalog/models/{id}/verify`. */
export interface VerifyResult {
  id: string;
  ok: boolean;
  problems: string[];
}

/** `GET /v1/models`, as OpenAI's API answers it. */
export interface ModelList {
  object: 'list';
  data: ModelInfo[];
}

/** One entry of {@link ModelList}. */
export interface ModelInfo {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
}

/** A transcription in the `json` format. */
export interface Transcription {
  text: string;
}

/** A transcription in the `verbose_json` format. */
export interface VerboseTranscription {
  task: 'transcribe' | 'translate';
  language: string;
  duration: number;
  text: string;
  segments: TranscriptionSegment[];
  /** Every word in order, when `timestampGranularities` asked for `word`; absent otherwise. */
  words?: TranscriptionWord[] | null;
}

/** One `verbose_json` word, with OpenAI's three fields: the word (no leading space), start and end in seconds. */
export interface TranscriptionWord {
  word: string;
  start: number;
  end: number;
}

/** One `verbose_json` segment, with OpenAI's ten fields. */
export interface TranscriptionSegment {
  id: number;
  seek: number;
  start: number;
  end: number;
  text: string;
  tokens: number[];
  temperature: number;
  avg_logprob: number;
  compression_ratio: number;
  no_speech_prob: number;
}

/** An event of a streamed transcription: deltas, then one `done` with the whole text. */
export type TranscriptTextEvent =
  | { type: 'transcript.text.delta'; delta: string }
  | { type: 'transcript.text.done'; text: string };

/** OpenAI's error envelope. */
export interface ErrorEnvelope {
  error: {
    message: string;
    type: string;
    param: string | null;
    code: string | null;
  };
}

/** The one JSON line `hearsay serve` prints on stdout once it listens. */
export interface ReadyLine {
  event: 'ready';
  url: string;
  token: string;
}
