import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { HearsayStartError } from './errors';
import type { ReadyLine } from './wire';

/** How a process ended. */
export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** One running `hearsay serve` that has printed its ready line. */
export interface RunningSidecar {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly url: string;
  readonly token: string;
  readonly startedAt: number;
  /** Settles when the process has exited. */
  readonly exited: Promise<ExitInfo>;
  /** The end of what it wrote to stderr. */
  stderrTail(): string;
}

/** What {@link launchSidecar} needs. */
export interface LaunchOptions {
  binaryPath: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  startTimeoutMs: number;
  log: (line: string) => void;
}

const stderrTailLines = 40;

/**
 * Starts one `hearsay serve` and resolves once its ready line arrives. Its stdin stays an open pipe that nothing is
 * written to: closing it is the graceful stop, and the operating system closes it when this process dies.
 * @throws {HearsayStartError} when it cannot be spawned, exits first, or stays silent past the timeout.
 */
export function launchSidecar(options: LaunchOptions): Promise<RunningSidecar> {
  const tail: string[] = [];
  const stderrTail = () => tail.join('\n');
  let child: ChildProcess;
  try {
    child = spawn(options.binaryPath, options.args, { env: options.env, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
  } catch (error) {
    return Promise.reject(spawnError(options.binaryPath, error));
  }

  // A pipe to a process that died errors on the next write or close (EPIPE); that is not this process's problem.
  child.stdin?.on('error', () => {});
  const exited = new Promise<ExitInfo>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  // 'close' comes after the last stderr line has been read; 'exit' may come before it.
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  createInterface({ input: child.stderr! }).on('line', (line) => {
    tail.push(line);
    if (tail.length > stderrTailLines) {
      tail.shift();
    }
    options.log(line);
  });

  return new Promise<RunningSidecar>((resolve, reject) => {
    let settled = false;
    const settle = (action: () => void) => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        action();
      }
    };
    const timer = setTimeout(() => {
      settle(() => {
        child.kill('SIGKILL');
        reject(
          new HearsayStartError(
            'timeout',
            `Hearsay printed no ready line within ${options.startTimeoutMs} ms, so it was killed. ` +
              `A slow or busy machine may need a larger startTimeoutMs; its output so far is in stderrTail and the log.`,
            { binaryPath: options.binaryPath, stderrTail: stderrTail() },
          ),
        );
      });
    }, options.startTimeoutMs);

    child.once('error', (error) => settle(() => reject(spawnError(options.binaryPath, error))));

    exited.then(async ({ code, signal }) => {
      if (settled) {
        return;
      }
      // Wait briefly for its last stderr lines: they hold the reason.
      await Promise.race([closed, delay(1000)]);
      settle(() => reject(exitedBeforeReady(options.binaryPath, code, signal, stderrTail())));
    });

    createInterface({ input: child.stdout! }).on('line', (line) => {
      const ready = settled ? null : parseReadyLine(line);
      if (!ready) {
        // Only the ready line belongs on stdout; anything else is worth seeing in the log.
        options.log(line);
        return;
      }
      settle(() =>
        resolve({ child, pid: child.pid!, url: ready.url.replace(/\/+$/, ''), token: ready.token, startedAt: Date.now(), exited, stderrTail }),
      );
    });
  });
}

/**
 * Stops a sidecar: closes its stdin (the graceful stop), then SIGTERM after `gracefulMs`, then SIGKILL after
 * `terminateMs` more. Resolves with how it exited.
 */
export async function stopSidecar(sidecar: RunningSidecar, gracefulMs: number, terminateMs: number): Promise<ExitInfo> {
  const { child } = sidecar;
  if (child.exitCode === null && child.signalCode === null) {
    child.stdin?.end();
    if (!(await settlesWithin(sidecar.exited, gracefulMs))) {
      child.kill('SIGTERM');
      if (!(await settlesWithin(sidecar.exited, terminateMs))) {
        child.kill('SIGKILL');
      }
    }
  }
  return sidecar.exited;
}

function parseReadyLine(line: string): ReadyLine | null {
  try {
    const value = JSON.parse(line) as Partial<ReadyLine>;
    return value && value.event === 'ready' && typeof value.url === 'string' && typeof value.token === 'string' ? (value as ReadyLine) : null;
  } catch {
    return null;
  }
}

function spawnError(binaryPath: string, error: unknown): HearsayStartError {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') {
    return new HearsayStartError('binary-not-found', `Hearsay's binary is not at ${binaryPath} (ENOENT). Check binaryPath or the app's extraResources.`, {
      binaryPath,
      cause: error,
    });
  }
  if (code === 'EACCES') {
    return new HearsayStartError('not-executable', `Hearsay's binary at ${binaryPath} may not be run (EACCES): make it executable (chmod +x).`, {
      binaryPath,
      cause: error,
    });
  }
  return new HearsayStartError(
    'spawn-failed',
    `The operating system could not start Hearsay's binary at ${binaryPath}: ${(error as Error)?.message ?? error}. ` +
      `Check that it is the build for this platform (eng/publish.sh RID) and that nothing (antivirus, quarantine) blocks it.`,
    { binaryPath, cause: error },
  );
}

function exitedBeforeReady(binaryPath: string, code: number | null, signal: NodeJS.Signals | null, stderrTail: string): HearsayStartError {
  const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
  const lastWords = stderrTail.trim().split('\n').slice(-3).join(' | ') || '(it wrote nothing to stderr)';
  const fix =
    code === 2
      ? 'An option is invalid: fix args, stt, tts or modelsDir as its message says.'
      : 'Fix what its message says (the whole output is in stderrTail and the log), then start it again.';
  return new HearsayStartError('exited-before-ready', `Hearsay ${how} before it was ready: ${lastWords}. ${fix}`, {
    binaryPath,
    exitCode: code,
    signal,
    stderrTail,
  });
}

async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
