// The fixture: a real `hearsay serve` for the tests to reach with OpenAI's own client. It installs the repo's tiny
// generated models into a temporary store through the real CLI (`hearsay models pull`, from file: URLs), starts the
// server on a free port, waits for it to be ready, and stops it at the end, also when a test fails.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import OpenAI from 'openai';

/** The repository root (this folder is tests/openai-js). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The ids the temporary catalog gives the two test models, the same ones the C# functional tests use. */
export const whisperId = 'test-whisper';
export const voiceId = 'test-voice';

// Generous: the first `./hearsay` call builds the CLI when the sources changed since its last build.
const cliTimeoutMs = 10 * 60_000;
const readyTimeoutMs = 2 * 60_000;
const stopTimeoutMs = 15_000;

/**
 * A file from the shared test assets (HEARSAY_TEST_ASSETS, default ../shared/models from the repo root). A missing
 * asset is an error naming it: the tests fail rather than skip.
 */
export function sharedAsset(...parts) {
  const root = process.env.HEARSAY_TEST_ASSETS
    ? path.resolve(process.env.HEARSAY_TEST_ASSETS)
    : path.resolve(repoRoot, '..', 'shared', 'models');
  return existing(path.join(root, ...parts), 'shared test asset (set HEARSAY_TEST_ASSETS or provide ../shared/models)');
}

/** A file of the repo's test assets under tests/assets. */
export function repoAsset(...parts) {
  return existing(path.join(repoRoot, 'tests', 'assets', ...parts), 'generated test asset (see tools/testmodels/README.md)');
}

function existing(file, what) {
  if (!existsSync(file)) {
    throw new Error(`Missing ${what}: ${file}`);
  }
  return file;
}

/**
 * Starts a server serving the test Whisper model and the test voice. Resolves to the server's URL and token, an
 * OpenAI client pointed at it (only the base URL and key differ from a client for api.openai.com), and stop().
 * With `withoutFfmpeg`, the server runs as on a machine without ffmpeg: its PATH is an empty folder (`pathFolder`),
 * HEARSAY_FFMPEG is unset, and it is the built CLI run by the .NET host directly, not through ./hearsay's script.
 * `serveArgs` are more options for `hearsay serve`.
 */
export async function startHearsay({ withoutFfmpeg = false, serveArgs = [] } = {}) {
  const folder = await mkdtemp(path.join(tmpdir(), 'hearsay-openai-js-'));
  const env = {
    ...process.env,
    HEARSAY_MODELS_DIR: path.join(folder, 'store'),
    HEARSAY_CATALOG: path.join(folder, 'catalog.json'),
  };
  // A mirror would redirect the catalog's file: URLs away from the repo's files.
  delete env.HEARSAY_MODEL_MIRROR;
  const pathFolder = path.join(folder, 'bin');

  let server;
  try {
    await writeCatalog(env.HEARSAY_CATALOG);
    // This also builds the CLI when the sources changed.
    await runCli(['models', 'pull', voiceId, whisperId], env);
    if (withoutFfmpeg) {
      await mkdir(pathFolder);
      const bare = { ...env, PATH: pathFolder };
      delete bare.HEARSAY_FFMPEG;
      server = await serve(bare, [onPath('dotnet'), builtCli], serveArgs);
    } else {
      server = await serve(env, [path.join(repoRoot, 'hearsay')], serveArgs);
    }
    await waitUntilReady(server.url);
  } catch (error) {
    await server?.stop();
    await rm(folder, { recursive: true, force: true });
    throw error;
  }

  const client = new OpenAI({ apiKey: server.token, baseURL: `${server.url}/v1` });
  return {
    url: server.url,
    token: server.token,
    client,
    pathFolder: withoutFfmpeg ? pathFolder : undefined,
    async stop() {
      await server.stop();
      await rm(folder, { recursive: true, force: true });
    },
  };
}

/** A catalog in the built-in catalog's format whose two models are the repo's test models, fetched from file: URLs. */
async function writeCatalog(catalogPath) {
  const voice = [repoAsset('piper', 'tiny-single.onnx'), repoAsset('piper', 'tiny-single.onnx.json')];
  const whisper = ['tiny-en-encoder.int8.onnx', 'tiny-en-decoder.int8.onnx', 'tiny-en-tokens.txt']
    .map((name) => repoAsset('whisper', 'tiny-en', name));
  const models = [
    await catalogModel(voiceId, 'tts', 'piper', voice),
    await catalogModel(whisperId, 'stt', 'whisper-onnx', whisper),
  ];
  await writeFile(catalogPath, JSON.stringify({ models }, null, 2));
}

async function catalogModel(id, kind, engine, files) {
  return {
    id,
    kind,
    engine,
    languages: ['en'],
    license: 'MIT',
    description: 'a tiny test model',
    files: await Promise.all(files.map(async (file) => ({
      path: path.basename(file),
      url: pathToFileURL(file).href,
      size: (await stat(file)).size,
      sha256: createHash('sha256').update(await readFile(file)).digest('hex'),
    }))),
  };
}

/** Runs `./hearsay ARGS` to completion; rejects with its output when it fails. */
function runCli(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(repoRoot, 'hearsay'), args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (data) => { output += data; });
    child.stderr.on('data', (data) => { output += data; });
    const timer = setTimeout(() => child.kill('SIGKILL'), cliTimeoutMs);
    child.on('error', (error) => { clearTimeout(timer); reject(error); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) {
        resolve(output);
      } else {
        reject(new Error(`./hearsay ${args.join(' ')} failed (${signal ?? `exit ${code}`}):\n${output}`));
      }
    });
  });
}

/** The CLI that ./hearsay builds and runs. */
const builtCli = path.join(repoRoot, 'artifacts', 'bin', 'Hearsay.Cli', 'release', 'hearsay.dll');

/** The full path of a program on this process's PATH. */
function onPath(name) {
  for (const folder of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    if (existsSync(path.join(folder, name))) {
      return path.join(folder, name);
    }
  }
  throw new Error(`${name} is not on PATH`);
}

/**
 * Starts `COMMAND serve` (./hearsay, or the .NET host and the built CLI) and resolves once its ready line arrives.
 * Its standard input stays an open pipe: should this test process die without calling stop(), the pipe closes and
 * the sidecar shuts itself down.
 */
function serve(env, [program, ...prefix], serveArgs) {
  const args = [...prefix, 'serve', '--port', '0', '--stt', whisperId, '--tts', voiceId, ...serveArgs];
  // Its own process group, so that stop() also ends a build `./hearsay` may still be running before it execs the CLI.
  const child = spawn(program, args, { cwd: repoRoot, env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  let log = '';
  child.stderr.on('data', (data) => { log = (log + data).slice(-20_000); });
  const exited = new Promise((resolve) => child.on('close', (code, signal) => resolve(signal ?? `exit ${code}`)));

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) {
      return;
    }
    signalGroup(child, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), stopTimeoutMs);
    await exited;
    clearTimeout(timer);
  };

  return new Promise((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => fail(`no ready line within ${(readyTimeoutMs + cliTimeoutMs) / 1000} s`), readyTimeoutMs + cliTimeoutMs);
    const fail = async (why) => {
      if (settled) {
        return;
      }
      settled = true;
      clearTimeout(timer);
      await stop();
      reject(new Error(`hearsay serve did not start: ${why}\n--- its stderr ---\n${log}`));
    };
    child.on('error', (error) => fail(error.message));
    exited.then((how) => fail(`it ended (${how}) before its ready line`));
    createInterface({ input: child.stdout }).on('line', (line) => {
      let ready;
      try {
        ready = JSON.parse(line);
      } catch {
        fail(`stdout carries only the ready line, but it printed: ${line}`);
        return;
      }
      if (ready.event === 'ready' && !settled) {
        settled = true;
        clearTimeout(timer);
        resolve({ url: ready.url, token: ready.token, stop });
      }
    });
  });
}

function signalGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch (error) {
    // ESRCH: the group is already gone.
    if (error.code !== 'ESRCH') {
      throw error;
    }
  }
}

/** Polls /health/ready (no token needed) until both capabilities are ready: the models load in the background. */
async function waitUntilReady(url) {
  const deadline = Date.now() + readyTimeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${url}/health/ready`);
      last = `${response.status} ${await response.text()}`;
      if (response.status === 200) {
        return;
      }
    } catch (error) {
      last = error.message;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url}/health/ready was not 200 within ${readyTimeoutMs / 1000} s; last answer: ${last}`);
}
