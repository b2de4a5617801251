'use strict';
// The first-run flow through the kit: a sidecar whose models are catalog ids that are not installed, then a
// download with progress, after which the capability is ready. The catalog (HEARSAY_CATALOG) lists the repo's tiny
// models at file: URLs, so nothing leaves this machine.
const assert = require('node:assert/strict');
const { createHash } = require('node:crypto');
const { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { after, before, describe, test } = require('node:test');
const { HearsayApiError, HearsayNotReadyError, HearsayUnavailableError } = require('../dist');
const { repoRoot, startTestHearsay } = require('./support/hearsay');

const timeout = 60_000;
const voiceId = 'kit-test-voice';
const whisperId = 'kit-test-whisper';

let catalogFolder;
let started;
let hearsay;

function catalogModel(id, kind, engine, files) {
  return {
    id,
    kind,
    engine,
    languages: ['en'],
    license: 'MIT',
    description: 'a tiny test model',
    files: files.map((file) => ({
      path: path.basename(file),
      url: pathToFileURL(file).href,
      size: statSync(file).size,
      sha256: createHash('sha256').update(readFileSync(file)).digest('hex'),
    })),
  };
}

function writeCatalog(file) {
  const assets = path.join(repoRoot, 'tests', 'assets');
  const voice = ['tiny-single.onnx', 'tiny-single.onnx.json'].map((name) => path.join(assets, 'piper', name));
  const whisper = ['tiny-en-encoder.int8.onnx', 'tiny-en-decoder.int8.onnx', 'tiny-en-tokens.txt'].map((name) => path.join(assets, 'whisper', 'tiny-en', name));
  writeFileSync(file, JSON.stringify({ models: [catalogModel(voiceId, 'tts', 'piper', voice), catalogModel(whisperId, 'stt', 'whisper-onnx', whisper)] }));
}

before(async () => {
  catalogFolder = mkdtempSync(path.join(tmpdir(), 'hearsay-kit-catalog-'));
  const catalog = path.join(catalogFolder, 'catalog.json');
  writeCatalog(catalog);
  // A mirror would send the catalog's file: URLs elsewhere.
  const env = { HEARSAY_CATALOG: catalog, HEARSAY_MODEL_MIRROR: undefined };
  started = await startTestHearsay({ stt: whisperId, tts: voiceId, env });
  hearsay = started.hearsay;
});

after(async () => {
  await started?.cleanup();
  rmSync(catalogFolder, { recursive: true, force: true });
});

describe('first run', () => {
  test('status_ModelsNotInstalled_BothNotInstalledWithSizes', { timeout }, async () => {
    const status = await hearsay.status();

    assert.equal(status.stt.state, 'not_installed');
    assert.equal(status.tts.state, 'not_installed');
    assert.equal(status.tts.model, voiceId);
    assert.ok(status.tts.size_bytes > 0, 'the page can say how much there is to download');
  });

  test('waitUntilReady_ModelNotInstalled_RejectsAtOnceSayingDownload', { timeout }, async () => {
    const began = Date.now();

    await assert.rejects(hearsay.waitUntilReady({ require: ['tts'], timeoutMs: 20_000 }), (error) => {
      assert.ok(error instanceof HearsayNotReadyError, `a HearsayNotReadyError, not ${error}`);
      assert.equal(error.timedOut, false);
      assert.deepEqual(error.capabilities, ['tts']);
      assert.match(error.message, new RegExp(`download\\('${voiceId}'\\)`));
      return true;
    });
    assert.ok(Date.now() - began < 5_000, 'without waiting for the timeout');
  });

  test('speak_ModelNotInstalled_UnavailableErrorWithState', { timeout }, async () => {
    await assert.rejects(hearsay.speak('Hello.'), (error) => {
      assert.ok(error instanceof HearsayUnavailableError, `a HearsayUnavailableError, not ${error}`);
      assert.equal(error.status, 503);
      assert.equal(error.code, 'capability_not_ready');
      assert.equal(error.capability, 'tts');
      assert.equal(error.state, 'not_installed');
      assert.equal(error.model, voiceId);
      return true;
    });
  });

  test('download_NotInstalled_ReportsProgressAndResolvesInstalled_ThenCapabilityReady', { timeout }, async () => {
    const reports = [];

    const entry = await hearsay.download(voiceId, { onProgress: (progress) => reports.push(progress) });

    assert.equal(entry.id, voiceId);
    assert.equal(entry.state, 'installed');
    assert.ok(reports.length > 0, 'at least one progress report');
    assert.ok(reports.every((progress) => progress.model === voiceId && progress.total_bytes > 0));
    const status = await hearsay.waitUntilReady({ require: ['tts'], timeoutMs: 30_000 });
    assert.equal(status.tts.state, 'ready');
    const audio = await hearsay.speakToBuffer('Installed and speaking.');
    assert.equal(audio.subarray(0, 4).toString('latin1'), 'RIFF');
  });

  test('download_AlreadyInstalled_ResolvesAtOnce', { timeout }, async () => {
    const entry = await hearsay.download(voiceId);

    assert.equal(entry.state, 'installed');
  });

  test('verify_Installed_Ok', { timeout }, async () => {
    const result = await hearsay.verify(voiceId);

    assert.deepEqual(result, { id: voiceId, ok: true, problems: [] });
  });

  test('deleteModel_Installed_CapabilityBackToNotInstalled', { timeout }, async () => {
    await hearsay.deleteModel(voiceId);

    const entry = await hearsay.catalogEntry(voiceId);
    assert.equal(entry.state, 'not_installed');
    for await (const status of hearsay.statusEvents()) {
      if (status.tts.state === 'not_installed') {
        break;
      }
    }
  });

  test('download_UnknownModel_ApiError404', { timeout }, async () => {
    await assert.rejects(hearsay.download('no-such-model'), (error) => {
      assert.ok(error instanceof HearsayApiError);
      assert.equal(error.status, 404);
      return true;
    });
  });
});
