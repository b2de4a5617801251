'use strict';
// examples/electron outside Electron: its electron-builder.yml puts each platform's eng/publish.sh output where the
// kit looks for it, and its main.js and preload.js run against a fake `electron` module with the real kit and the
// real binary (first run: an empty model store).
const assert = require('node:assert/strict');
const { mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { describe, test } = require('node:test');
const YAML = require('yaml');
const kit = require('../dist');
const { createFakeElectron, requireWith } = require('./support/fake-electron');
const { childProcesses, hearsayBinary, processGone, repoRoot, waitFor } = require('./support/hearsay');

const example = path.join(repoRoot, 'examples', 'electron');

/** electron-builder's platform sections and the Node platform each packages for. */
const sections = { linux: 'linux', win: 'win32', mac: 'darwin' };

/** The RIDs eng/publish.sh takes, and the folder it writes each to by default, read from the script itself. */
function publishScript() {
  const script = readFileSync(path.join(repoRoot, 'eng', 'publish.sh'), 'utf8');
  const supported = /^readonly supported="([^"]+)"/m.exec(script);
  const defaultOut = /^out="\$\{2:-\$root\/([^}]+)\}"/m.exec(script);
  assert.ok(supported, 'eng/publish.sh declares its RIDs in `readonly supported="..."`');
  assert.ok(defaultOut, 'eng/publish.sh defaults its output to `out="${2:-$root/...}"`');
  return { rids: supported[1].split(/\s+/), outputFor: (rid) => defaultOut[1].replace('$rid', rid) };
}

describe('electron-builder.yml', () => {
  const config = YAML.parse(readFileSync(path.join(example, 'electron-builder.yml'), 'utf8'));
  const publish = publishScript();

  /** Every (platform, arch, extraResources entry) the config packages, with `${arch}` expanded as electron-builder does. */
  function packaged() {
    const result = [];
    for (const [section, platform] of Object.entries(sections)) {
      const options = config[section];
      assert.ok(options, `a ${section} section`);
      const arches = [...new Set(options.target.flatMap((target) => target.arch))];
      for (const arch of arches) {
        for (const entry of options.extraResources) {
          result.push({ section, platform, arch, from: entry.from.replaceAll('${arch}', arch), to: entry.to.replaceAll('${arch}', arch) });
        }
      }
    }
    return result;
  }

  test('extraResources_EachPackagedPlatform_FromIsPublishOutputForItsRid', () => {
    for (const { platform, arch, from } of packaged()) {
      const rid = kit.hearsayRid(platform, arch);
      assert.ok(publish.rids.includes(rid), `eng/publish.sh publishes ${rid}`);
      assert.equal(
        path.resolve(example, from),
        path.join(repoRoot, publish.outputFor(rid)),
        `${platform}-${arch} bundles what 'eng/publish.sh ${rid}' writes`,
      );
    }
  });

  test('extraResources_EachPackagedPlatform_ToIsWhereTheKitLooks', () => {
    for (const { platform, arch, to } of packaged()) {
      const expected = kit.bundledBinaryRelativePath(platform, arch);
      assert.equal(path.posix.join(to, kit.hearsayExecutableName(platform)), expected, `${platform}-${arch}`);
      // And the resolver, given a resources folder laid out that way, asks for exactly that file.
      assert.throws(
        () => kit.resolveHearsayBinary({ resourcesPath: '/resources', platform, arch }),
        (error) => error.binaryPath.replaceAll('\\', '/') === `/resources/${expected}`,
      );
    }
  });

  test('targets_EveryPublishedPlatformAndNoOther', () => {
    const covered = [...new Set(packaged().map(({ platform, arch }) => `${platform}-${arch}`))].sort();
    const supported = kit.supportedPlatforms.map(({ platform, arch }) => `${platform}-${arch}`).sort();

    assert.deepEqual(covered, supported);
    assert.deepEqual(kit.supportedPlatforms.map(({ rid }) => rid).sort(), [...publish.rids].sort());
  });

  test('files_IncludeMainAndPreload', () => {
    const manifest = JSON.parse(readFileSync(path.join(example, 'package.json'), 'utf8'));

    assert.ok(config.files.includes(manifest.main));
    assert.ok(config.files.includes('preload.js'));
    assert.equal(manifest.dependencies['@hearsay/electron-kit'], 'file:../../clients/js');
    assert.equal(JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')).name, '@hearsay/electron-kit');
  });
});

describe('main.js and preload.js', () => {
  test('main_FirstRun_OpensPageBridgesStatusFollowsRestartStopsOnQuit', { timeout: 60_000 }, async (t) => {
    const folder = mkdtempSync(path.join(tmpdir(), 'hearsay-kit-example-'));
    t.after(() => rmSync(folder, { recursive: true, force: true }));
    // main.js takes the binary from HEARSAY_BINARY when set, and Hearsay its store from HEARSAY_MODELS_DIR: an empty
    // store is a first run, with the default models not installed.
    process.env.HEARSAY_BINARY = hearsayBinary();
    process.env.HEARSAY_MODELS_DIR = path.join(folder, 'models');
    const fake = createFakeElectron();
    const originalError = console.error;
    console.error = () => {};
    t.after(async () => {
      // Also when the test failed half-way: quitting stops Hearsay, so nothing keeps this process alive.
      fake.electron.app.quit();
      await waitFor(() => fake.electron.app.quitted, 15_000, 'the app to quit').catch(() => {});
      console.error = originalError;
    });

    requireWith(path.join(example, 'main.js'), { electron: fake.electron, '@hearsay/electron-kit': kit });

    const window = await waitFor(() => fake.windows.find((win) => win.loaded.length > 0), 30_000, 'a window with a page');
    const [pageUrl] = window.loaded;
    assert.match(pageUrl, /^http:\/\/127\.0\.0\.1:\d+\/#token=\S{16,}$/);
    const prefs = window.options.webPreferences;
    assert.equal(prefs.preload, path.join(example, 'preload.js'));
    assert.equal(prefs.contextIsolation, true);
    assert.equal(prefs.sandbox, true);
    const [pid] = childProcesses('hearsay');
    assert.ok(pid, 'Hearsay runs as a child of the main process');

    // The preload, as the window would run it.
    requireWith(path.join(example, 'preload.js'), { electron: fake.electron });
    const bridge = fake.exposed.hearsayBridge;
    assert.equal(`${bridge.baseUrl}/#token=${bridge.token}`, pageUrl);
    const response = await fetch(`${bridge.baseUrl}/v1/status`, { headers: { authorization: `Bearer ${bridge.token}` } });
    assert.equal(response.status, 200);
    const firstRun = await response.json();
    assert.equal(firstRun.stt.state, 'not_installed');
    assert.equal(firstRun.tts.state, 'not_installed');
    const statuses = [];
    const unsubscribe = bridge.onStatus((status) => statuses.push(status));
    await waitFor(() => statuses.length > 0, 10_000, 'a status through the bridge');
    assert.equal(statuses[0].tts.state, 'not_installed');
    unsubscribe();

    // Links away from Hearsay's page open in the browser, not in the window that holds the token.
    assert.deepEqual(window.webContents.windowOpenHandler({ url: 'https://example.org/' }), { action: 'deny' });
    let prevented = false;
    window.webContents.emit('will-navigate', { preventDefault: () => (prevented = true) }, 'https://example.org/other');
    assert.equal(prevented, true);
    assert.deepEqual(fake.openedExternally, ['https://example.org/', 'https://example.org/other']);

    // A crash: the window loads the new process's page.
    process.kill(pid, 'SIGKILL');
    await waitFor(() => window.loaded.length > 1, 30_000, 'the page of the restarted Hearsay');
    assert.notEqual(window.loaded[1], pageUrl);
    assert.match(window.loaded[1], /^http:\/\/127\.0\.0\.1:\d+\/#token=/);
    const [newPid] = childProcesses('hearsay');
    assert.ok(newPid && newPid !== pid);

    // Quitting waits for Hearsay to stop, then quits.
    fake.electron.app.quit();
    assert.equal(fake.electron.app.quitted, false, 'the first quit waits');
    await waitFor(() => fake.electron.app.quitted, 15_000, 'the app to quit after Hearsay stopped');
    assert.ok(processGone(newPid), 'Hearsay stopped before the app quit');
    assert.equal(fake.electron.app.quitCalls, 2);
    assert.deepEqual(fake.errorBoxes, []);
  });
});
