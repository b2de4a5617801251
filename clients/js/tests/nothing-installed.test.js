'use strict';
// Nothing installed: the published binary speaks with no espeak-ng on PATH (proven below), through the portable
// phonemizer eng/publish.sh puts beside it (ADR 0010). The kit needs no option for it.
const assert = require('node:assert/strict');
const { mkdtemp, readdir, rm } = require('node:fs/promises');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { after, before, test } = require('node:test');
const { startTestHearsay } = require('./support/hearsay');

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

test('speakToBuffer_NoEspeakNgOnPath_SpeaksWithThePortablePhonemizer', { timeout }, async () => {
  for (const folder of emptyPath.split(path.delimiter)) {
    assert.deepEqual((await readdir(folder)).filter((name) => name.startsWith('espeak-ng')), [], `${folder} holds no espeak-ng`);
  }

  const audio = await started.hearsay.speakToBuffer('Nothing was installed for this sentence.');
  const status = await started.hearsay.status();

  assert.equal(audio.subarray(0, 4).toString('latin1'), 'RIFF');
  assert.ok(audio.length > 44 + 2000, `more than a header and a blip: ${audio.length} bytes`);
  const espeakNg = status.tools.find((tool) => tool.name === 'espeak-ng');
  assert.ok(espeakNg.found, espeakNg.reason);
  assert.match(espeakNg.path, /espeak-ng-portable[/\\]espeak-ng\.wasm$/);
  assert.equal(espeakNg.version, '1.51 (portable)');
});
