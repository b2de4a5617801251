'use strict';
// What the tests share: the real hearsay binary (HEARSAY_BINARY), the repo's tiny test models, the shared recordings,
// a started Hearsay with a temporary model store, and process checks. A missing binary or asset fails the test that
// needs it, naming what is missing; nothing is skipped.
const { existsSync, readFileSync } = require('node:fs');
const { mkdtemp, rm } = require('node:fs/promises');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { after } = require('node:test');
const { startHearsay } = require('../../dist');

/** Every Hearsay the tests of this file started: stopped at the end even when a test failed half-way, so that no
 * child process keeps the test file's process alive. */
const running = new Set();
after(async () => {
  await Promise.all([...running].map((hearsay) => hearsay.stop()));
});

/** The repository root (this folder is clients/js/tests/support). */
const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');

/** The binary under test: HEARSAY_BINARY, relative to the current directory when relative. */
function hearsayBinary() {
  const value = process.env.HEARSAY_BINARY;
  if (!value) {
    throw new Error(
      'HEARSAY_BINARY is not set: it must name the hearsay binary to test. Publish one with `eng/publish.sh linux-x64` ' +
        '(from the repo root) and run `HEARSAY_BINARY=../../artifacts/publish/linux-x64/hearsay npm test` in clients/js.',
    );
  }
  const binary = path.resolve(value);
  if (!existsSync(binary)) {
    throw new Error(`HEARSAY_BINARY is ${binary}, which does not exist. Publish it with \`eng/publish.sh linux-x64\`.`);
  }
  return binary;
}

/** The repo's generated test models: a Whisper folder and a Piper voice. */
function testModels() {
  return {
    stt: existing(path.join(repoRoot, 'tests', 'assets', 'whisper', 'tiny-en'), 'generated test model (tools/testmodels)'),
    tts: existing(path.join(repoRoot, 'tests', 'assets', 'piper', 'tiny-single.onnx'), 'generated test voice (tools/testmodels)'),
  };
}

/** A file of the shared test assets: HEARSAY_TEST_ASSETS, default ../shared/models from the repo root. */
function sharedAsset(...parts) {
  const root = process.env.HEARSAY_TEST_ASSETS ? path.resolve(process.env.HEARSAY_TEST_ASSETS) : path.join(repoRoot, '..', 'shared', 'models');
  return existing(path.join(root, ...parts), 'shared test asset (set HEARSAY_TEST_ASSETS or provide ../shared/models)');
}

function existing(file, what) {
  if (!existsSync(file)) {
    throw new Error(`Missing ${what}: ${file}`);
  }
  return file;
}

/**
 * Starts the real binary through the kit, with the test models and an empty temporary store unless `options` says
 * otherwise. Resolves to { hearsay, logs, folder, cleanup }; cleanup stops it and removes the folder.
 */
async function startTestHearsay(options = {}) {
  const folder = await mkdtemp(path.join(tmpdir(), 'hearsay-kit-'));
  const logs = [];
  let hearsay;
  try {
    hearsay = await startHearsay({
      binaryPath: hearsayBinary(),
      modelsDir: path.join(folder, 'models'),
      ...testModels(),
      log: (line) => logs.push(line),
      restart: { initialDelayMs: 100, maxDelayMs: 1000 },
      ...options,
    });
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
  running.add(hearsay);
  return {
    hearsay,
    logs,
    folder,
    async cleanup() {
      await hearsay.stop();
      running.delete(hearsay);
      await rm(folder, { recursive: true, force: true });
    },
  };
}

/** Whether a process has ended: gone, or a zombie that nobody has reaped yet (a container's init may not). */
function processGone(pid) {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if (error.code === 'ESRCH') {
      return true;
    }
    throw error;
  }
  try {
    // The state follows the parenthesised command name: "pid (comm) S ...".
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

/** Polls until `condition()` is truthy; rejects naming `what` after `timeoutMs`. */
async function waitFor(condition, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The ids of this process's child processes named `name` (Linux: from /proc). */
function childProcesses(name) {
  const { readdirSync } = require('node:fs');
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) {
      continue;
    }
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (comm === name && Number(fields[1]) === process.pid && fields[0] !== 'Z') {
        pids.push(Number(entry));
      }
    } catch {
      // It ended while we looked.
    }
  }
  return pids;
}

module.exports = { repoRoot, hearsayBinary, testModels, sharedAsset, startTestHearsay, processGone, waitFor, childProcesses };
