'use strict';
// The typed client against the real sidecar serving the repo's tiny models (random weights: transcripts are word
// salad, so the tests check shapes, not words).
const assert = require('node:assert/strict');
const { readFileSync } = require('node:fs');
const path = require('node:path');
const { after, before, describe, test } = require('node:test');
const { HearsayApiError } = require('../dist');
const { sharedAsset, startTestHearsay } = require('./support/hearsay');

const timeout = 60_000;
const segmentFields = ['id', 'seek', 'start', 'end', 'text', 'tokens', 'temperature', 'avg_logprob', 'compression_ratio', 'no_speech_prob'];

let started;
let hearsay;
let jfk;

before(async () => {
  jfk = sharedAsset('audio', 'wav16k', 'jfk.wav');
  started = await startTestHearsay();
  hearsay = started.hearsay;
  await hearsay.waitUntilReady({ timeoutMs: 30_000 });
});

after(async () => {
  await started?.cleanup();
});

describe('transcribe', () => {
  test('transcribe_PathAsJson_ReturnsText', { timeout }, async () => {
    const result = await hearsay.transcribe(jfk);

    assert.deepEqual(Object.keys(result), ['text']);
    assert.equal(typeof result.text, 'string');
    assert.ok(result.text.length > 0, 'some text');
  });

  test('transcribe_BufferAsVerboseJson_ReturnsSegmentsWithOpenAiFields', { timeout }, async () => {
    const result = await hearsay.transcribe(readFileSync(jfk), { responseFormat: 'verbose_json', language: 'en', temperature: 0 });

    assert.equal(result.task, 'transcribe');
    assert.equal(result.language, 'english');
    assert.ok(Math.abs(result.duration - 11) < 0.5, `jfk.wav lasts about 11 s, not ${result.duration}`);
    assert.ok(result.segments.length > 0, 'at least one segment');
    for (const segment of result.segments) {
      assert.deepEqual(Object.keys(segment).sort(), [...segmentFields].sort());
      assert.ok(segment.end >= segment.start);
    }
  });

  test('transcribe_WordGranularity_ReturnsWordsInOrderWithinTheAudio', { timeout }, async () => {
    const result = await hearsay.transcribe(jfk, {
      responseFormat: 'verbose_json',
      language: 'en',
      temperature: 0,
      timestampGranularities: ['word', 'segment'],
    });

    assert.ok(result.words.length > 0, 'at least one word');
    assert.ok(result.segments.length > 0, 'segments too');
    let previousEnd = 0;
    for (const word of result.words) {
      assert.deepEqual(Object.keys(word).sort(), ['end', 'start', 'word']);
      assert.ok(word.start >= previousEnd - 1e-6 && word.end >= word.start && word.end <= result.duration + 1e-6, JSON.stringify(word));
      previousEnd = word.end;
    }
  });

  test('transcribe_SegmentsOnly_HasNoWords', { timeout }, async () => {
    const result = await hearsay.transcribe(jfk, { responseFormat: 'verbose_json', temperature: 0 });

    assert.equal(result.words, undefined);
  });

  test('transcribe_BlobAsText_ReturnsString', { timeout }, async () => {
    const result = await hearsay.transcribe(new Blob([readFileSync(jfk)]), { responseFormat: 'text' });

    assert.equal(typeof result, 'string');
    assert.ok(result.trim().length > 0);
  });

  test('transcribeStream_Jfk_DeltasAddUpToDoneText', { timeout }, async () => {
    const events = [];
    for await (const event of hearsay.transcribeStream(jfk, { temperature: 0 })) {
      events.push(event);
    }

    const deltas = events.filter((event) => event.type === 'transcript.text.delta');
    const done = events.at(-1);
    assert.ok(deltas.length > 0, 'at least one delta');
    assert.equal(done.type, 'transcript.text.done');
    assert.equal(events.filter((event) => event.type === 'transcript.text.done').length, 1);
    assert.equal(deltas.map((event) => event.delta).join(''), done.text);
  });

  test('transcribe_StreamTrue_ResolvesToEvents', { timeout }, async () => {
    const stream = await hearsay.transcribe(jfk, { stream: true });
    const types = [];
    for await (const event of stream) {
      types.push(event.type);
    }

    assert.equal(types.at(-1), 'transcript.text.done');
  });

  test('transcribe_UnknownModel_ApiErrorWithServerMessage', { timeout }, async () => {
    await assert.rejects(hearsay.transcribe(jfk, { model: 'whisper-nonexistent' }), (error) => {
      assert.ok(error instanceof HearsayApiError, `a HearsayApiError, not ${error}`);
      assert.equal(error.status, 404);
      assert.equal(error.code, 'model_not_found');
      assert.equal(error.param, 'model');
      assert.equal(error.type, 'invalid_request_error');
      assert.ok(error.serverMessage.length > 0);
      assert.ok(error.message.includes(error.serverMessage));
      return true;
    });
  });

  test('transcribe_NotAudio_ApiError4xx', { timeout }, async () => {
    await assert.rejects(hearsay.transcribe(Buffer.from('this is not audio'), { filename: 'notes.txt' }), (error) => {
      assert.ok(error instanceof HearsayApiError);
      assert.ok([400, 415].includes(error.status), `400 or 415, not ${error.status}`);
      return true;
    });
  });
});

describe('speak', () => {
  test('speakToBuffer_Wav_RiffHeaderAndAudio', { timeout }, async () => {
    const audio = await hearsay.speakToBuffer('Hello from the Electron kit.');

    assert.equal(audio.subarray(0, 4).toString('latin1'), 'RIFF');
    assert.equal(audio.subarray(8, 12).toString('latin1'), 'WAVE');
    assert.ok(audio.length > 44 + 2000, `more than a header and a blip: ${audio.length} bytes`);
  });

  test('speak_SeveralSentences_StreamsSeveralChunks', { timeout }, async () => {
    const stream = await hearsay.speak('The first sentence is here. A second one follows it. Then a third arrives. And a fourth ends it.', {
      responseFormat: 'pcm',
      voice: 'echo',
      speed: 1.2,
    });

    assert.ok(stream instanceof ReadableStream, 'a web ReadableStream');
    const chunks = [];
    for await (const chunk of stream) {
      chunks.push(chunk);
    }
    const bytes = chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0);
    assert.ok(chunks.length > 1, `audio arrives sentence by sentence, not in ${chunks.length} chunk(s)`);
    assert.equal(bytes % 2, 0, '16-bit samples');
  });

  test('speak_EmptyInput_ApiErrorNamingInput', { timeout }, async () => {
    await assert.rejects(hearsay.speak('   '), (error) => {
      assert.ok(error instanceof HearsayApiError);
      assert.equal(error.status, 400);
      assert.equal(error.param, 'input');
      return true;
    });
  });
});

describe('models and catalog', () => {
  test('models_TestModels_ListsThemAndOpenAiAliases', { timeout }, async () => {
    const list = await hearsay.models();

    assert.equal(list.object, 'list');
    const ids = list.data.map((model) => model.id);
    for (const alias of ['whisper-1', 'tts-1']) {
      assert.ok(ids.includes(alias), `${alias} in ${ids}`);
    }
    assert.ok(list.data.every((model) => model.object === 'model'));
  });

  test('catalog_EmptyStore_ListsModelsNotInstalledWithSizes', { timeout }, async () => {
    const catalog = await hearsay.catalog();

    assert.equal(path.resolve(catalog.store_path), path.join(started.folder, 'models'));
    assert.ok(catalog.models.length > 0);
    for (const entry of catalog.models) {
      assert.ok(entry.size_bytes > 0 || entry.state === 'built_in', `${entry.id} has a size`);
    }
    assert.ok(catalog.models.some((entry) => entry.kind === 'stt' && entry.state === 'not_installed'));
  });

  test('catalog_KindFilter_OnlyThatKind', { timeout }, async () => {
    const catalog = await hearsay.catalog({ kind: 'tts' });

    assert.ok(catalog.models.length > 0);
    assert.ok(catalog.models.every((entry) => entry.kind === 'tts'));
  });

  test('cancelDownload_NothingRunning_ApiError404', { timeout }, async () => {
    const id = (await hearsay.catalog({ kind: 'stt' })).models[0].id;

    await assert.rejects(hearsay.cancelDownload(id), (error) => {
      assert.ok(error instanceof HearsayApiError);
      assert.equal(error.status, 404);
      assert.equal(error.code, 'download_not_found');
      return true;
    });
  });
});
