'use strict';
// Finding the bundled binary: pure unit tests, no Hearsay process.
const assert = require('node:assert/strict');
const { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { after, describe, test } = require('node:test');
const {
  HearsayStartError,
  asarUnpackedPath,
  bundledBinaryRelativePath,
  hearsayRid,
  resolveHearsayBinary,
  startHearsay,
  supportedPlatforms,
} = require('../dist');

const folder = mkdtempSync(path.join(tmpdir(), 'hearsay-kit-binary-'));
after(() => rmSync(folder, { recursive: true, force: true }));

/** Puts a file at resources/<relative> with the given mode and returns the resources folder. */
function resourcesWith(name, relative, mode = 0o755) {
  const resources = path.join(folder, name);
  const file = path.join(resources, ...relative.split('/'));
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, '#!/bin/sh\n');
  chmodSync(file, mode);
  return resources;
}

function startError(reason) {
  return (error) => {
    assert.ok(error instanceof HearsayStartError, `a HearsayStartError, not ${error}`);
    assert.equal(error.reason, reason);
    return true;
  };
}

describe('hearsayRid', () => {
  test('hearsayRid_EachPublishedPlatform_MapsToItsRid', () => {
    assert.equal(hearsayRid('linux', 'x64'), 'linux-x64');
    assert.equal(hearsayRid('linux', 'arm64'), 'linux-arm64');
    assert.equal(hearsayRid('win32', 'x64'), 'win-x64');
    assert.equal(hearsayRid('win32', 'arm64'), 'win-arm64');
    assert.equal(hearsayRid('darwin', 'arm64'), 'osx-arm64');
    assert.equal(supportedPlatforms.length, 5);
  });

  test('hearsayRid_DarwinX64_ThrowsUnsupportedPlatformNamingAppleSilicon', () => {
    assert.throws(() => hearsayRid('darwin', 'x64'), (error) => {
      startError('unsupported-platform')(error);
      assert.match(error.message, /darwin-x64/);
      assert.match(error.message, /Apple silicon|arm64/);
      return true;
    });
  });

  test('hearsayRid_OtherPlatform_ThrowsUnsupportedPlatformListingBuilds', () => {
    assert.throws(() => hearsayRid('linux', 'ia32'), (error) => {
      startError('unsupported-platform')(error);
      assert.match(error.message, /linux-ia32/);
      assert.match(error.message, /linux-x64/);
      return true;
    });
    assert.throws(() => hearsayRid('freebsd', 'x64'), startError('unsupported-platform'));
  });
});

describe('bundledBinaryRelativePath', () => {
  test('bundledBinaryRelativePath_UsesNodePlatformAndArch', () => {
    assert.equal(bundledBinaryRelativePath('linux', 'x64'), 'hearsay/linux-x64/hearsay');
    assert.equal(bundledBinaryRelativePath('win32', 'arm64'), 'hearsay/win32-arm64/hearsay.exe');
    assert.equal(bundledBinaryRelativePath('darwin', 'arm64'), 'hearsay/darwin-arm64/hearsay');
  });
});

describe('asarUnpackedPath', () => {
  test('asarUnpackedPath_PathInsideAsar_MovesToUnpacked', () => {
    assert.equal(asarUnpackedPath('/opt/App/resources/app.asar/hearsay/linux-x64/hearsay'), '/opt/App/resources/app.asar.unpacked/hearsay/linux-x64/hearsay');
    assert.equal(
      asarUnpackedPath('C:\\Program Files\\App\\resources\\app.asar\\hearsay\\win32-x64\\hearsay.exe'),
      'C:\\Program Files\\App\\resources\\app.asar.unpacked\\hearsay\\win32-x64\\hearsay.exe',
    );
    assert.equal(asarUnpackedPath('/Applications/App.app/Contents/Resources/app.asar'), '/Applications/App.app/Contents/Resources/app.asar.unpacked');
  });

  test('asarUnpackedPath_PathOutsideAsar_Unchanged', () => {
    for (const unchanged of ['/opt/App/resources/hearsay/linux-x64/hearsay', '/x/app.asar.unpacked/hearsay', '/x/myapp.asar/hearsay', '/x/app.asarx/hearsay']) {
      assert.equal(asarUnpackedPath(unchanged), unchanged);
    }
  });
});

describe('resolveHearsayBinary', () => {
  test('resolveHearsayBinary_BundledBinary_FoundUnderResources', () => {
    const resources = resourcesWith('bundled', 'hearsay/linux-arm64/hearsay');

    const binary = resolveHearsayBinary({ resourcesPath: resources, platform: 'linux', arch: 'arm64' });

    assert.equal(binary, path.join(resources, 'hearsay', 'linux-arm64', 'hearsay'));
  });

  test('resolveHearsayBinary_ResourcesInsideAsar_LooksInAsarUnpacked', () => {
    const resources = resourcesWith('asar', 'app.asar.unpacked/hearsay/linux-x64/hearsay');

    const binary = resolveHearsayBinary({ resourcesPath: path.join(resources, 'app.asar'), platform: 'linux', arch: 'x64' });

    assert.equal(binary, path.join(resources, 'app.asar.unpacked', 'hearsay', 'linux-x64', 'hearsay'));
  });

  test('resolveHearsayBinary_BinaryPathInsideAsar_LooksInAsarUnpacked', () => {
    const resources = resourcesWith('given', 'app.asar.unpacked/bin/hearsay');

    const binary = resolveHearsayBinary({ binaryPath: path.join(resources, 'app.asar', 'bin', 'hearsay'), platform: 'linux', arch: 'x64' });

    assert.equal(binary, path.join(resources, 'app.asar.unpacked', 'bin', 'hearsay'));
  });

  test('resolveHearsayBinary_Windows_LooksForExeInWin32Folder', () => {
    const resources = 'C:\\Program Files\\Example\\resources\\app.asar';

    assert.throws(() => resolveHearsayBinary({ resourcesPath: resources, platform: 'win32', arch: 'x64' }), (error) => {
      startError('binary-not-found')(error);
      assert.equal(error.binaryPath, 'C:\\Program Files\\Example\\resources\\app.asar.unpacked\\hearsay\\win32-x64\\hearsay.exe');
      return true;
    });
  });

  test('resolveHearsayBinary_MissingBinary_ThrowsBinaryNotFoundSayingHowToBundleIt', () => {
    const resources = path.join(folder, 'empty');

    assert.throws(() => resolveHearsayBinary({ resourcesPath: resources, platform: 'linux', arch: 'x64' }), (error) => {
      startError('binary-not-found')(error);
      assert.equal(error.binaryPath, path.join(resources, 'hearsay', 'linux-x64', 'hearsay'));
      assert.match(error.message, /eng\/publish\.sh linux-x64/);
      assert.match(error.message, /extraResources/);
      assert.match(error.message, /hearsay\/linux-x64\//);
      return true;
    });
  });

  test('resolveHearsayBinary_MissingBinaryPath_ThrowsBinaryNotFound', () => {
    assert.throws(
      () => resolveHearsayBinary({ binaryPath: path.join(folder, 'nowhere', 'hearsay'), platform: 'linux', arch: 'x64' }),
      startError('binary-not-found'),
    );
  });

  test('resolveHearsayBinary_NotExecutable_ThrowsNotExecutable', () => {
    const resources = resourcesWith('plain', 'hearsay/linux-x64/hearsay', 0o644);

    assert.throws(() => resolveHearsayBinary({ resourcesPath: resources, platform: 'linux', arch: 'x64' }), (error) => {
      startError('not-executable')(error);
      assert.match(error.message, /chmod \+x/);
      return true;
    });
  });

  test('resolveHearsayBinary_DarwinX64_ThrowsUnsupportedPlatform', () => {
    assert.throws(() => resolveHearsayBinary({ resourcesPath: folder, platform: 'darwin', arch: 'x64' }), startError('unsupported-platform'));
  });

  test('resolveHearsayBinary_OutsideElectronWithoutPaths_ThrowsSayingWhatToPass', () => {
    assert.equal(process.resourcesPath, undefined, 'plain Node has no process.resourcesPath');

    assert.throws(() => resolveHearsayBinary({ platform: 'linux', arch: 'x64' }), (error) => {
      startError('binary-not-found')(error);
      assert.match(error.message, /binaryPath/);
      return true;
    });
  });

  test('startHearsay_MissingBinary_RejectsWithStartError', async () => {
    await assert.rejects(startHearsay({ binaryPath: path.join(folder, 'missing', 'hearsay'), log: () => {} }), startError('binary-not-found'));
  });
});
