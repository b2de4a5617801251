'use strict';
// The sidecar's life through the kit, with the real binary: start, ready line, token, status, stop, failed starts.
const assert = require('node:assert/strict');
const { mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { after, before, describe, test } = require('node:test');
const { HearsayStartError, HearsayStoppedError, startHearsay } = require('../dist');
const { hearsayBinary, processGone, startTestHearsay, waitFor } = require('./support/hearsay');

const timeout = 60_000;

describe('startHearsay', () => {
  let started;

  before(async () => {
    started = await startTestHearsay();
  });

  after(async () => {
    await started?.cleanup();
  });

  test('startHearsay_ReadyLine_GivesLoopbackUrlTokenAndPage', { timeout }, () => {
    const { hearsay } = started;

    assert.match(hearsay.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(hearsay.token, /^\S{16,}$/);
    assert.equal(hearsay.pageUrl, `${hearsay.url}/#token=${hearsay.token}`);
    assert.equal(hearsay.state, 'running');
    assert.ok(hearsay.pid > 0);
    assert.equal(hearsay.binaryPath, hearsayBinary());
  });

  test('startHearsay_PageUrl_ServesTheFirstRunPage', { timeout }, async () => {
    const { hearsay } = started;

    const response = await fetch(hearsay.pageUrl);

    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type'), /^text\/html/);
    assert.match(response.headers.get('content-security-policy'), /default-src 'self'/);
    assert.match(await response.text(), /<script type="module" src="\/app\.js"><\/script>/);
  });

  test('startHearsay_CallWithoutToken_Is401', { timeout }, async () => {
    const { hearsay } = started;

    const response = await fetch(`${hearsay.url}/v1/status`);

    assert.equal(response.status, 401);
    assert.equal((await response.json()).error.code, 'invalid_api_key');
  });

  test('waitUntilReady_TestModels_BothCapabilitiesReady', { timeout }, async () => {
    const { hearsay } = started;

    const status = await hearsay.waitUntilReady({ timeoutMs: 30_000 });

    assert.equal(status.stt.state, 'ready');
    assert.equal(status.tts.state, 'ready');
    assert.deepEqual(await hearsay.status().then((s) => [s.stt.state, s.tts.state]), ['ready', 'ready']);
  });

  test('statusEvents_FirstEvent_IsTheCurrentStatus', { timeout }, async () => {
    const { hearsay } = started;
    const controller = new AbortController();

    const first = await hearsay.statusEvents({ signal: controller.signal }).next();
    controller.abort();

    assert.equal(first.done, false);
    assert.equal(typeof first.value.version, 'string');
    assert.ok(['loading', 'ready'].includes(first.value.stt.state));
  });

  test('statusEvent_Listener_ReceivesStatuses', { timeout }, async () => {
    const { hearsay } = started;

    const status = await new Promise((resolve) => {
      const listener = (value) => {
        hearsay.off('status', listener);
        resolve(value);
      };
      hearsay.on('status', listener);
    });

    assert.ok(status.stt && status.tts && Array.isArray(status.downloads));
  });
});

describe('stop', () => {
  test('stop_Running_ProcessExitsWithZeroAndIsNotRestarted', { timeout }, async (t) => {
    const { hearsay, cleanup } = await startTestHearsay();
    t.after(cleanup);
    const pid = hearsay.pid;
    const events = [];
    for (const name of ['exit', 'restarting', 'restarted']) {
      hearsay.on(name, (event) => events.push([name, event]));
    }

    const exit = await hearsay.stop();

    assert.deepEqual(exit, { code: 0, signal: null });
    assert.ok(processGone(pid), `hearsay (pid ${pid}) is gone`);
    // Longer than the restart delay (100 ms in these tests): nothing comes back.
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.deepEqual(events, [['exit', { code: 0, signal: null, pid, expected: true }]]);
    assert.equal(hearsay.state, 'stopped');
    assert.equal(hearsay.pid, undefined);
    await assert.rejects(hearsay.status(), HearsayStoppedError);
    assert.deepEqual(await hearsay.stop(), exit, 'a second stop returns the same exit');
  });

  test('stop_WhileStatusStreamOpen_StreamEnds', { timeout }, async (t) => {
    const { hearsay, cleanup } = await startTestHearsay();
    t.after(cleanup);
    const seen = [];
    const reading = (async () => {
      for await (const status of hearsay.statusEvents()) {
        seen.push(status);
      }
    })();
    await waitFor(() => seen.length > 0, 10_000, 'the first status');

    await hearsay.stop();

    await reading;
  });
});

describe('failed starts', () => {
  test('startHearsay_InvalidOption_StartErrorWithExitCode2AndStderrReason', { timeout }, async () => {
    await assert.rejects(startTestHearsay({ args: ['--token', 'short'] }), (error) => {
      assert.ok(error instanceof HearsayStartError, `a HearsayStartError, not ${error}`);
      assert.equal(error.reason, 'exited-before-ready');
      assert.equal(error.exitCode, 2);
      assert.match(error.stderrTail, /--token/);
      assert.match(error.message, /--token must be at least 16 characters/);
      assert.match(error.message, /option is invalid/);
      return true;
    });
  });

  test('startHearsay_NoReadyLineInTime_StartErrorTimeout', { timeout }, async (t) => {
    // A script that hangs stands in for a binary that never prints its ready line.
    const folder = mkdtempSync(path.join(tmpdir(), 'hearsay-kit-hang-'));
    const script = path.join(folder, 'hang.sh');
    writeFileSync(script, '#!/bin/sh\nexec sleep 30\n', { mode: 0o755 });
    t.after(() => rmSync(folder, { recursive: true, force: true }));

    await assert.rejects(
      startHearsay({ binaryPath: script, startTimeoutMs: 300, log: () => {} }),
      (error) => {
        assert.ok(error instanceof HearsayStartError);
        assert.equal(error.reason, 'timeout');
        assert.match(error.message, /startTimeoutMs/);
        return true;
      },
    );
  });
});
