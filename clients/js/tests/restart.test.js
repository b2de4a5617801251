'use strict';
// Crashes: a killed sidecar comes back at a new URL with a new token, the same client object keeps working, and the
// kit gives up after restart.maxRestarts failures in a row.
const assert = require('node:assert/strict');
const { mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { describe, test } = require('node:test');
const { HearsayCrashedError } = require('../dist');
const { hearsayBinary, processGone, startTestHearsay, waitFor } = require('./support/hearsay');

const timeout = 60_000;

function nextEvent(emitter, name) {
  return new Promise((resolve) => emitter.once(name, resolve));
}

describe('restart', () => {
  test('crash_SigkillChild_NewProcessComesUpAndCallsKeepWorking', { timeout }, async (t) => {
    const { hearsay, cleanup } = await startTestHearsay();
    t.after(cleanup);
    await hearsay.waitUntilReady({ timeoutMs: 30_000 });
    const before = { pid: hearsay.pid, url: hearsay.url, token: hearsay.token };
    const statuses = [];
    const watching = (async () => {
      for await (const status of hearsay.statusEvents()) {
        statuses.push(status);
      }
    })();
    await waitFor(() => statuses.length > 0, 10_000, 'the first status');
    const exited = nextEvent(hearsay, 'exit');
    const restarting = nextEvent(hearsay, 'restarting');
    const restarted = nextEvent(hearsay, 'restarted');
    let statusesAtRestart = -1;
    hearsay.once('restarted', () => {
      statusesAtRestart = statuses.length;
    });

    process.kill(before.pid, 'SIGKILL');
    // Sent while the process is dead: it waits for the new one and is answered there.
    const status = await hearsay.status();

    assert.deepEqual(await exited, { code: null, signal: 'SIGKILL', pid: before.pid, expected: false });
    assert.deepEqual(await restarting, { attempt: 1, delayMs: 100 });
    const event = await restarted;
    assert.equal(event.attempt, 1);
    assert.notEqual(event.pid, before.pid);
    assert.equal(event.pid, hearsay.pid);
    assert.notEqual(event.url, before.url);
    assert.notEqual(event.token, before.token);
    assert.equal(hearsay.url, event.url);
    assert.equal(hearsay.pageUrl, `${event.url}/#token=${event.token}`);
    assert.ok(processGone(before.pid));
    assert.ok(status.stt && status.tts, 'the call made during the restart was answered');
    const ready = await hearsay.waitUntilReady({ timeoutMs: 30_000 });
    assert.equal(ready.tts.state, 'ready');
    const audio = await hearsay.speakToBuffer('Still here.');
    assert.equal(audio.subarray(0, 4).toString('latin1'), 'RIFF');
    // The stream reconnected by itself: the new process's first event is its current status.
    await waitFor(() => statuses.length > statusesAtRestart, 10_000, 'status events from the new process');

    await hearsay.stop();
    await watching;
  });

  test('crash_RestartOff_ErrorEventAndCallsRejectWithCrashedError', { timeout }, async (t) => {
    const { hearsay, cleanup } = await startTestHearsay({ restart: false });
    t.after(cleanup);
    const errored = nextEvent(hearsay, 'error');
    const restartingEvents = [];
    hearsay.on('restarting', (event) => restartingEvents.push(event));

    process.kill(hearsay.pid, 'SIGKILL');

    const error = await errored;
    assert.ok(error instanceof HearsayCrashedError);
    assert.equal(error.signal, 'SIGKILL');
    assert.match(error.message, /restart: false/);
    assert.equal(hearsay.state, 'failed');
    assert.deepEqual(restartingEvents, []);
    await assert.rejects(hearsay.status(), HearsayCrashedError);
  });

  test('crash_RestartsKeepFailing_BacksOffThenGivesUp', { timeout }, async (t) => {
    // A wrapper that runs the real binary once; every later start fails the way a broken install would.
    const folder = mkdtempSync(path.join(tmpdir(), 'hearsay-kit-flaky-'));
    t.after(() => rmSync(folder, { recursive: true, force: true }));
    const wrapper = path.join(folder, 'hearsay');
    const marker = path.join(folder, 'started-once');
    writeFileSync(
      wrapper,
      `#!/bin/sh\nif [ -e '${marker}' ]; then echo 'hearsay: broken on purpose' >&2; exit 3; fi\ntouch '${marker}'\nexec '${hearsayBinary()}' "$@"\n`,
      { mode: 0o755 },
    );
    const { hearsay, cleanup } = await startTestHearsay({ binaryPath: wrapper, restart: { maxRestarts: 2, initialDelayMs: 50, maxDelayMs: 1000 } });
    t.after(cleanup);
    const restarting = [];
    hearsay.on('restarting', (event) => restarting.push(event));
    const errored = nextEvent(hearsay, 'error');

    process.kill(hearsay.pid, 'SIGKILL');

    const error = await errored;
    assert.deepEqual(restarting, [
      { attempt: 1, delayMs: 50 },
      { attempt: 2, delayMs: 100 },
    ]);
    assert.ok(error instanceof HearsayCrashedError);
    assert.equal(error.restarts, 2);
    assert.equal(error.exitCode, 3);
    assert.match(error.stderrTail, /broken on purpose/);
    assert.match(error.message, /startHearsay\(\) again/);
  });
});
