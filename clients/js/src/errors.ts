import type { Capability, CapabilityState, DownloadProgress, HearsayStatus } from './wire';

/** The base of every error the kit throws: branch on the subclass and its fields, never on the message. */
export class HearsayError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Why {@link HearsayStartError} was thrown. */
export type StartFailure =
  /** No Hearsay build exists for this platform and architecture (darwin-x64, 32-bit, …). */
  | 'unsupported-platform'
  /** The binary is not where it was looked for. */
  | 'binary-not-found'
  /** The binary exists but may not be run. */
  | 'not-executable'
  /** The operating system refused to start it for another reason. */
  | 'spawn-failed'
  /** It started and exited before printing its ready line (bad options, port in use, …). */
  | 'exited-before-ready'
  /** No ready line within `startTimeoutMs`. */
  | 'timeout';

/** Hearsay could not be started. The message says why and what to do; `stderrTail` holds its last words. */
export class HearsayStartError extends HearsayError {
  readonly reason: StartFailure;
  /** The binary that was (or would have been) started. */
  readonly binaryPath: string | undefined;
  /** The exit code, for `exited-before-ready`. */
  readonly exitCode: number | null;
  /** The signal that ended it, for `exited-before-ready`. */
  readonly signal: string | null;
  /** The end of what it wrote to stderr (empty when it never ran). */
  readonly stderrTail: string;

  constructor(
    reason: StartFailure,
    message: string,
    details: { binaryPath?: string; exitCode?: number | null; signal?: string | null; stderrTail?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: details.cause });
    this.reason = reason;
    this.binaryPath = details.binaryPath;
    this.exitCode = details.exitCode ?? null;
    this.signal = details.signal ?? null;
    this.stderrTail = details.stderrTail ?? '';
  }
}

/**
 * The server answered with an error, in OpenAI's envelope. `serverMessage` is Hearsay's own sentence, which says what
 * to do; branch on `status` and `code` (`invalid_value`, `model_not_found`, `engine_busy`, … as in
 * src/Hearsay.Contracts/Errors/ErrorCodes.cs).
 */
export class HearsayApiError extends HearsayError {
  /** The HTTP status (500 for an error event that ended a stream which had already started). */
  readonly status: number;
  readonly code: string | null;
  /** OpenAI's class: `invalid_request_error`, `authentication_error`, `rate_limit_error`, `server_error`, `service_unavailable`. */
  readonly type: string;
  /** The request field at fault. */
  readonly param: string | null;
  readonly serverMessage: string;
  /** From `Retry-After` (429, and 503 while a model loads or downloads): try again after this many seconds. */
  readonly retryAfterSeconds: number | null;

  constructor(
    status: number,
    body: { message: string; type: string; param: string | null; code: string | null },
    retryAfterSeconds: number | null,
    method: string,
    path: string,
  ) {
    super(`${method} ${path} failed with ${status}${body.code ? ` (${body.code})` : ''}: ${body.message}`);
    this.status = status;
    this.code = body.code;
    this.type = body.type;
    this.param = body.param;
    this.serverMessage = body.message;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/**
 * 503: the capability a call needs is not ready. `state` says where it stands: `not_installed` (download its model
 * with `download()`), `downloading` or `loading` (retry after `retryAfterSeconds`, or `waitUntilReady()`),
 * `unavailable` (a program such as espeak-ng is missing: `reason` names it), `error`, `disabled`.
 */
export class HearsayUnavailableError extends HearsayApiError {
  /** The capability the call needed, when the route tells. */
  readonly capability: Capability | null;
  /** Its state when the call was refused; null when the status could not be read. */
  readonly state: CapabilityState | null;
  /** The server's reason for that state. */
  readonly reason: string | null;
  /** The model the capability serves. */
  readonly model: string | null;

  constructor(
    status: number,
    body: { message: string; type: string; param: string | null; code: string | null },
    retryAfterSeconds: number | null,
    method: string,
    path: string,
    capability: Capability | null,
    detail: { state: CapabilityState; reason?: string | null; model?: string | null } | null,
  ) {
    super(status, body, retryAfterSeconds, method, path);
    this.capability = capability;
    this.state = detail?.state ?? null;
    this.reason = detail?.reason ?? null;
    this.model = detail?.model ?? null;
  }
}

/** `waitUntilReady()` gave up: a required capability cannot become ready by itself, or the time ran out. */
export class HearsayNotReadyError extends HearsayError {
  /** The capabilities that were not ready. */
  readonly capabilities: Capability[];
  /** The last status seen. */
  readonly status: HearsayStatus | null;
  /** Whether the time ran out (rather than a capability being in a state it does not leave by itself). */
  readonly timedOut: boolean;

  constructor(message: string, capabilities: Capability[], status: HearsayStatus | null, timedOut: boolean) {
    super(message);
    this.capabilities = capabilities;
    this.status = status;
    this.timedOut = timedOut;
  }
}

/** A model download ended without installing the model. */
export class HearsayDownloadError extends HearsayError {
  readonly model: string;
  /** `failed` (the server's error is in the message), `cancelled`, or `interrupted` (it stopped, e.g. the sidecar restarted). */
  readonly outcome: 'failed' | 'cancelled' | 'interrupted';
  /** The last progress seen. */
  readonly progress: DownloadProgress | null;

  constructor(model: string, outcome: 'failed' | 'cancelled' | 'interrupted', message: string, progress: DownloadProgress | null) {
    super(message);
    this.model = model;
    this.outcome = outcome;
    this.progress = progress;
  }
}

/** The call was made after `stop()`. */
export class HearsayStoppedError extends HearsayError {
  constructor() {
    super('Hearsay was stopped with stop(); call startHearsay() again to use it.');
  }
}

/** Hearsay kept dying: it exited more often in a row than `restart.maxRestarts` allows, and is not restarted again. */
export class HearsayCrashedError extends HearsayError {
  /** How many restarts were tried. */
  readonly restarts: number;
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** The end of what the last process wrote to stderr. */
  readonly stderrTail: string;

  constructor(restarts: number, exitCode: number | null, signal: string | null, stderrTail: string, cause?: unknown) {
    const how = signal ? `signal ${signal}` : `exit code ${exitCode}`;
    const verdict =
      restarts === 0 ? 'and restarting is turned off (restart: false)' : `and ${restarts} restart(s) in a row did not keep it running, so it is not restarted again`;
    super(
      `Hearsay exited unexpectedly (${how}) ${verdict}. Its last output is below and in the log; fix what it names, then call startHearsay() again.` +
        (stderrTail ? `\n${stderrTail}` : ''),
      { cause },
    );
    this.restarts = restarts;
    this.exitCode = exitCode;
    this.signal = signal;
    this.stderrTail = stderrTail;
  }
}

/** The server could not be reached, and it did not crash: something else is in the way. */
export class HearsayConnectionError extends HearsayError {
  readonly url: string;

  constructor(url: string, cause: unknown) {
    super(
      `Cannot reach Hearsay at ${url} (${describe(cause)}). It is still running, so something else is in the way: ` +
        `a proxy setting (NO_PROXY should include 127.0.0.1) or a firewall that blocks loopback connections.`,
      { cause },
    );
    this.url = url;
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
  }
  return String(error);
}
