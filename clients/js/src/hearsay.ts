import { resolveHearsayBinary } from './binary';
import { HearsayClient, type Connection } from './client';
import { HearsayCrashedError, HearsayStartError, HearsayStoppedError } from './errors';
import { launchSidecar, stopSidecar, type ExitInfo, type LaunchOptions, type RunningSidecar } from './sidecar-process';
import type { HearsayStatus } from './wire';

/** How Hearsay is restarted when it dies unexpectedly. */
export interface RestartPolicy {
  /** Restarts in a row before giving up; default 5. A process that ran `stableAfterMs` resets the count. */
  maxRestarts: number;
  /** The first wait before a restart; default 500. It doubles with each restart in a row. */
  initialDelayMs: number;
  /** The longest wait; default 10 000. */
  maxDelayMs: number;
  /** How long a process must run for its exit to count as a first crash again; default 60 000. */
  stableAfterMs: number;
}

/** Options of {@link startHearsay}. Every one is optional. */
export interface StartHearsayOptions {
  /** The binary to run; default the one bundled under `resourcesPath` for this platform (see resolveHearsayBinary). */
  binaryPath?: string;
  /** The app's resources folder; default Electron's `process.resourcesPath`. */
  resourcesPath?: string;
  /** The model store (`--models-dir`); default Hearsay's per-user store, which every app using Hearsay shares. */
  modelsDir?: string;
  /** The speech-to-text model (`--stt`): a catalog id, a Whisper model folder, or `none`; default Hearsay's. */
  stt?: string;
  /** The voice (`--tts`): a catalog id, a Piper `.onnx` file, or `none`; default Hearsay's. */
  tts?: string;
  /** More `hearsay serve` options, after the kit's own. */
  args?: string[];
  /** Environment variables for Hearsay, on top of this process's. */
  env?: NodeJS.ProcessEnv;
  /** Restart on unexpected exit (default on); `false` never restarts. */
  restart?: Partial<RestartPolicy> | false;
  /** How long to wait for the ready line; default 30 000. */
  startTimeoutMs?: number;
  /** How long `stop()` waits after closing stdin before SIGTERM, and again before SIGKILL; default 5 000. */
  stopTimeoutMs?: number;
  /** Receives each line Hearsay writes to stderr and the kit's own notes; default: written to this process's stderr. */
  log?: (line: string) => void;
}

/** The 'exit' event: a Hearsay process ended. */
export interface ExitEvent extends ExitInfo {
  pid: number;
  /** True when `stop()` ended it. */
  expected: boolean;
}

/** The 'restarting' event: Hearsay died and is started again after `delayMs`. */
export interface RestartingEvent {
  /** 1 for the first restart in a row. */
  attempt: number;
  delayMs: number;
}

/** The 'restarted' event: a new process is ready, at a new URL with a new token. */
export interface RestartedEvent {
  attempt: number;
  pid: number;
  url: string;
  token: string;
  pageUrl: string;
}

/** The events of {@link Hearsay}, with their arguments. */
export interface HearsayEvents {
  /** A status from `/v1/status/events` (listening opens the stream; it follows restarts). */
  status: [status: HearsayStatus];
  exit: [event: ExitEvent];
  restarting: [event: RestartingEvent];
  restarted: [event: RestartedEvent];
  /** Hearsay gave up restarting. Without an 'error' listener this is only logged, so it cannot crash the app. */
  error: [error: HearsayCrashedError];
}

export interface Hearsay {
  on<K extends keyof HearsayEvents>(event: K, listener: (...args: HearsayEvents[K]) => void): this;
  once<K extends keyof HearsayEvents>(event: K, listener: (...args: HearsayEvents[K]) => void): this;
  off<K extends keyof HearsayEvents>(event: K, listener: (...args: HearsayEvents[K]) => void): this;
  emit<K extends keyof HearsayEvents>(event: K, ...args: HearsayEvents[K]): boolean;
}

type State = 'running' | 'restarting' | 'stopping' | 'stopped' | 'failed';

const defaultRestart: RestartPolicy = { maxRestarts: 5, initialDelayMs: 500, maxDelayMs: 10_000, stableAfterMs: 60_000 };

/** How long a call that could not connect waits for the process's exit to be noticed before calling it something else. */
const exitNoticeMs = 1_500;

/**
 * A running Hearsay sidecar and its typed client. It restarts the process when it dies unexpectedly (the client
 * follows the new URL and token), and stops it with {@link stop} or when this process exits.
 */
export class Hearsay extends HearsayClient {
  readonly #launch: LaunchOptions;
  readonly #restart: RestartPolicy | null;
  readonly #stopTimeoutMs: number;
  readonly #log: (line: string) => void;
  readonly #closed = new AbortController();
  #sidecar: RunningSidecar | null;
  /** The newest process's URL and token, kept after it exits: the getters never throw. */
  #last: RunningSidecar;
  #generation = 1;
  #state: State = 'running';
  #crashesInARow = 0;
  #restartTimer: NodeJS.Timeout | null = null;
  #launching: Promise<void> | null = null;
  #next: { promise: Promise<Connection>; resolve: (c: Connection) => void; reject: (e: unknown) => void } | null = null;
  #stopping: Promise<ExitInfo> | null = null;
  #lastExit: ExitInfo = { code: null, signal: null };

  /** Use {@link startHearsay}. */
  constructor(sidecar: RunningSidecar, launch: LaunchOptions, restart: RestartPolicy | null, stopTimeoutMs: number, log: (line: string) => void) {
    super();
    this.#sidecar = sidecar;
    this.#last = sidecar;
    this.#launch = launch;
    this.#restart = restart;
    this.#stopTimeoutMs = stopTimeoutMs;
    this.#log = log;
    this.#watch(sidecar);
  }

  /**
   * The base URL of the API (`http://127.0.0.1:PORT`). It changes when Hearsay restarts: while it restarts this is
   * the old one, until the 'restarted' event. Calls through this object always go to the current one.
   */
  get url(): string {
    return this.#last.url;
  }

  /** The bearer token every `/v1` call needs; like {@link url}, it changes when Hearsay restarts. */
  get token(): string {
    return this.#last.token;
  }

  /** Hearsay's own page (status, first-run download, try it), with the token in the URL fragment: load it in a BrowserWindow. */
  get pageUrl(): string {
    return `${this.#last.url}/#token=${encodeURIComponent(this.#last.token)}`;
  }

  /** The process id of the running Hearsay; undefined while it restarts or after stop. */
  get pid(): number | undefined {
    return this.#state === 'running' ? this.#sidecar?.pid : undefined;
  }

  /** The binary that runs. */
  get binaryPath(): string {
    return this.#launch.binaryPath;
  }

  /** `running`, `restarting`, `stopping`, `stopped`, or `failed` (gave up restarting). */
  get state(): State {
    return this.#state;
  }

  /**
   * Stops Hearsay: closes its stdin (its graceful stop), waits `stopTimeoutMs`, then SIGTERM, then SIGKILL. It is
   * never restarted after this. Resolves with how it exited; calling it again returns the same.
   */
  stop(): Promise<ExitInfo> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  protected override connection(): Promise<Connection> {
    switch (this.#state) {
      case 'running':
        return Promise.resolve(this.#connectionOf(this.#sidecar!));
      case 'restarting':
        return this.#nextConnection().promise;
      default:
        return Promise.reject(this.#closed.signal.reason);
    }
  }

  protected override async recover(failed: Connection): Promise<boolean> {
    const deadline = Date.now() + exitNoticeMs;
    while (this.#state === 'running' && this.#generation === failed.generation && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (this.#state === 'running' && this.#generation === failed.generation) {
      return false;
    }
    return (await this.connection()).generation !== failed.generation;
  }

  protected override get closed(): AbortSignal {
    return this.#closed.signal;
  }

  #connectionOf(sidecar: RunningSidecar): Connection {
    return { url: sidecar.url, token: sidecar.token, generation: this.#generation };
  }

  #nextConnection() {
    if (!this.#next) {
      let resolve!: (c: Connection) => void;
      let reject!: (e: unknown) => void;
      const promise = new Promise<Connection>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      // A restart nobody waits for must not end as an unhandled rejection.
      promise.catch(() => {});
      this.#next = { promise, resolve, reject };
    }
    return this.#next;
  }

  #watch(sidecar: RunningSidecar): void {
    void sidecar.exited.then((exit) => this.#onExit(sidecar, exit));
  }

  #onExit(sidecar: RunningSidecar, exit: ExitInfo): void {
    if (sidecar !== this.#sidecar) {
      return;
    }
    this.#lastExit = exit;
    if (this.#state !== 'running') {
      // stop() is ending it, and reports the exit itself.
      return;
    }
    this.#sidecar = null;
    this.emit('exit', { ...exit, pid: sidecar.pid, expected: false });
    this.#log(`electron-kit: hearsay (pid ${sidecar.pid}) exited unexpectedly (${describeExit(exit)})`);
    if (Date.now() - sidecar.startedAt >= (this.#restart?.stableAfterMs ?? 0)) {
      this.#crashesInARow = 0;
    }
    this.#state = 'restarting';
    this.#nextConnection();
    this.#scheduleRestart(sidecar.stderrTail(), undefined);
  }

  #scheduleRestart(stderrTail: string, cause: unknown): void {
    const policy = this.#restart;
    this.#crashesInARow++;
    if (!policy || this.#crashesInARow > policy.maxRestarts) {
      this.#fail(new HearsayCrashedError(policy ? policy.maxRestarts : 0, this.#lastExit.code, this.#lastExit.signal, stderrTail, cause));
      return;
    }
    const attempt = this.#crashesInARow;
    const delayMs = Math.min(policy.initialDelayMs * 2 ** (attempt - 1), policy.maxDelayMs);
    this.emit('restarting', { attempt, delayMs });
    this.#restartTimer = setTimeout(() => {
      this.#restartTimer = null;
      this.#launching = this.#relaunch(attempt).finally(() => {
        this.#launching = null;
      });
    }, delayMs);
  }

  async #relaunch(attempt: number): Promise<void> {
    let sidecar: RunningSidecar;
    try {
      sidecar = await launchSidecar(this.#launch);
    } catch (error) {
      if (this.#state !== 'restarting') {
        return;
      }
      const start = error as HearsayStartError;
      this.#lastExit = { code: start.exitCode ?? null, signal: (start.signal as NodeJS.Signals | null) ?? null };
      this.#log(`electron-kit: restart ${attempt} failed: ${start.message}`);
      this.#scheduleRestart(start.stderrTail ?? '', error);
      return;
    }
    if (this.#state !== 'restarting') {
      // Stopped while it started.
      await stopSidecar(sidecar, this.#stopTimeoutMs, this.#stopTimeoutMs);
      return;
    }
    this.#sidecar = sidecar;
    this.#last = sidecar;
    this.#generation++;
    this.#state = 'running';
    this.#watch(sidecar);
    const next = this.#next;
    this.#next = null;
    const connection = this.#connectionOf(sidecar);
    next?.resolve(connection);
    this.#log(`electron-kit: hearsay restarted (pid ${sidecar.pid}) at ${sidecar.url}`);
    this.emit('restarted', { attempt, pid: sidecar.pid, url: sidecar.url, token: sidecar.token, pageUrl: this.pageUrl });
  }

  #fail(error: HearsayCrashedError): void {
    this.#state = 'failed';
    this.#closed.abort(error);
    this.#next?.reject(error);
    this.#next = null;
    if (this.listenerCount('error') > 0) {
      this.emit('error', error);
    } else {
      this.#log(`electron-kit: ${error.message}`);
    }
  }

  async #stop(): Promise<ExitInfo> {
    const wasFailed = this.#state === 'failed';
    this.#state = 'stopping';
    if (this.#restartTimer) {
      clearTimeout(this.#restartTimer);
      this.#restartTimer = null;
    }
    const stopped = new HearsayStoppedError();
    if (!wasFailed) {
      this.#closed.abort(stopped);
    }
    this.#next?.reject(stopped);
    this.#next = null;
    await this.#launching?.catch(() => {});
    const sidecar = this.#sidecar;
    if (sidecar) {
      this.#lastExit = await stopSidecar(sidecar, this.#stopTimeoutMs, this.#stopTimeoutMs);
      this.emit('exit', { ...this.#lastExit, pid: sidecar.pid, expected: true });
    }
    this.#sidecar = null;
    this.#state = 'stopped';
    return this.#lastExit;
  }
}

/**
 * Starts Hearsay (`hearsay serve` on a free loopback port, stopping when this process exits) and resolves once it
 * listens; models may still be loading (see {@link Hearsay.waitUntilReady}).
 * @throws {HearsayStartError} why it could not start, and what to do.
 */
export async function startHearsay(options: StartHearsayOptions = {}): Promise<Hearsay> {
  const binaryPath = resolveHearsayBinary({ binaryPath: options.binaryPath, resourcesPath: options.resourcesPath });
  const args = ['serve', '--port', '0', '--parent-pid', String(process.pid)];
  const named: Array<[string, string | undefined]> = [
    ['--models-dir', options.modelsDir],
    ['--stt', options.stt],
    ['--tts', options.tts],
  ];
  for (const [flag, value] of named) {
    if (value !== undefined) {
      args.push(flag, value);
    }
  }
  args.push(...(options.args ?? []));
  const log = options.log ?? ((line: string) => process.stderr.write(`hearsay: ${line}\n`));
  const launch: LaunchOptions = {
    binaryPath,
    args,
    env: { ...process.env, ...options.env },
    startTimeoutMs: options.startTimeoutMs ?? 30_000,
    log,
  };
  const restart = options.restart === false ? null : { ...defaultRestart, ...options.restart };
  const sidecar = await launchSidecar(launch);
  return new Hearsay(sidecar, launch, restart, options.stopTimeoutMs ?? 5_000, log);
}

function describeExit(exit: ExitInfo): string {
  return exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
}
