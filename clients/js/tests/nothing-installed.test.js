'use strict';
// Nothing installed: the published binary speaks with no espeak-ng on PATH (proven below), through the portable
// phonemizer eng/publish.sh puts beside it (ADR 0010), as a sidecar started by the kit (which needs no option for it)
// and as the command line.
const assert = require('node:assert/strict');
const { execFile } = require('node:child_process');
const { mkdtemp, readFile, readdir, rm } = require('node:fs/promises');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { after, before, test } = require('node:test');
const { promisify } = require('node:util');
const { hearsayBinary, startTestHearsay, testModels } = require('./support/hearsay');

const timeout = 60_000;
let started;
let emptyPath;

before(async () => {
  emptyPath = await mkdtemp(path.join(tmpdir(), 'hearsay-no-espeak-'));
  started = await startTestHearsay({ stt: 'none', env: { PATH: emptyPath, HEARSAY_ESPEAK_NG: '' } });
  await started.hearsay.waitUntilReady({ timeoutMs: 30_000 });
});

after(async () => {
  await started?.cleanup();
  await rm(emptyPath, { recursive: true, force: true });
});

async function assertPathHoldsNoEspeakNg() {
  for (const folder of emptyPath.split(path.delimiter)) {
    assert.deepEqual((await readdir(folder)).filter((name) => name.startsWith('espeak-ng')), [], `${folder} holds no espeak-ng`);
  }
}

/** Runs the published binary's command line with nothing on PATH. */
function runWithNothingInstalled(args) {
  return promisify(execFile)(hearsayBinary(), args, {
    env: { ...process.env, PATH: emptyPath, HEARSAY_ESPEAK_NG: '' },
    encoding: 'buffer',
    timeout: 30_000,
  });
}

test('speakToBuffer_NoEspeakNgOnPath_SpeaksWithThePortablePhonemizer', { timeout }, async () => {
  await assertPathHoldsNoEspeakNg();

  const audio = await started.hearsay.speakToBuffer('Nothing was installed for this sentence.');
  const status = await started.hearsay.status();

  assert.equal(audio.subarray(0, 4).toString('latin1'), 'RIFF');
  assert.ok(audio.length > 44 + 2000, `more than a header and a blip: ${audio.length} bytes`);
  const espeakNg = status.tools.find((tool) => tool.name === 'espeak-ng');
  assert.ok(espeakNg.found, espeakNg.reason);
  assert.match(espeakNg.path, /espeak-ng-portable[/\\]espeak-ng\.wasm$/);
  assert.equal(espeakNg.version, '1.51 (portable)');
});

test('cliSpeak_NoEspeakNgOnPath_WritesTheSentenceAsWav', { timeout }, async () => {
  await assertPathHoldsNoEspeakNg();
  const wav = path.join(emptyPath, '..', `${path.basename(emptyPath)}.wav`);

  try {
    await runWithNothingInstalled(['speak', 'Nothing was installed to say this.', '--voice', testModels().tts, '-o', wav]);
    const audio = await readFile(wav);

    assert.equal(audio.subarray(8, 12).toString('latin1'), 'WAVE');
    assert.ok(audio.length > 44 + 2000, `more than a header and a blip: ${audio.length} bytes`);
  } finally {
    await rm(wav, { force: true });
  }
});

test('cliPhonemes_NoEspeakNgOnPath_GivesEspeakNgsPhonemes', { timeout }, async () => {
  await assertPathHoldsNoEspeakNg();

  const { stdout } = await runWithNothingInstalled(['phonemes', 'Naïve café!', '--voice', testModels().tts]);

  assert.match(stdout.toString('utf8'), /naɪˈiːv kæfˈeɪ!/);
});
