'use strict';
// An app killed outright (no before-quit, no stop()) must not leave Hearsay behind: it watches --parent-pid and its
// standard input, both of which the kit sets up.
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { createInterface } = require('node:readline');
const { describe, test } = require('node:test');
const { hearsayBinary, processGone, waitFor } = require('./support/hearsay');

describe('parent exit', () => {
  test('parentKilled_Sigkill_HearsayExitsWithinSeconds', { timeout: 60_000 }, async (t) => {
    const folder = mkdtempSync(path.join(tmpdir(), 'hearsay-kit-parent-'));
    const app = spawn(process.execPath, [path.join(__dirname, 'support', 'parent-app.js'), path.join(folder, 'models')], {
      env: { ...process.env, HEARSAY_BINARY: hearsayBinary() },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const appExited = new Promise((resolve) => app.once('exit', resolve));
    let hearsayPid;
    t.after(() => {
      // Should the test fail half-way, nothing is left running.
      for (const pid of [app.pid, hearsayPid]) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      rmSync(folder, { recursive: true, force: true });
    });

    const line = await new Promise((resolve, reject) => {
      createInterface({ input: app.stdout }).once('line', resolve);
      app.once('exit', (code) => reject(new Error(`the stand-in app exited (${code}) before Hearsay started`)));
    });
    hearsayPid = JSON.parse(line).pid;
    assert.ok(!processGone(hearsayPid), 'Hearsay runs');

    app.kill('SIGKILL');
    await appExited;

    await waitFor(() => processGone(hearsayPid), 5_000, `Hearsay (pid ${hearsayPid}) to exit after its parent was killed`);
  });
});
