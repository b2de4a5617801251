// audio.transcriptions and audio.translations through OpenAI's own client. The test Whisper model has random weights,
// so its text is word salad: these tests check shapes, fields and consistency, never words.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { sharedAsset, startHearsay } from './hearsay.js';

const timeout = 120_000;
const srtTiming = /^\d{2}:\d{2}:\d{2},\d{3} --> \d{2}:\d{2}:\d{2},\d{3}$/m;
const vttTiming = /^\d{2}:\d{2}:\d{2}\.\d{3} --> \d{2}:\d{2}:\d{2}\.\d{3}$/m;

let hearsay;
let jfk;

before(async () => {
  jfk = sharedAsset('audio', 'wav16k', 'jfk.wav');
  hearsay = await startHearsay();
});

after(async () => {
  await hearsay?.stop();
});

function transcribe(fields) {
  return hearsay.client.audio.transcriptions.create({ model: 'whisper-1', file: fs.createReadStream(jfk), ...fields });
}

describe('audio.transcriptions.create', () => {
  test('create_Json_ReturnsObjectWithText', { timeout }, async () => {
    const transcription = await transcribe({ response_format: 'json' });

    assert.equal(typeof transcription, 'object');
    assert.equal(typeof transcription.text, 'string');
  });

  test('create_NoResponseFormat_ReturnsJsonObjectWithText', { timeout }, async () => {
    const transcription = await transcribe({});

    assert.equal(typeof transcription.text, 'string');
  });

  test('create_Text_ReturnsString', { timeout }, async () => {
    const transcription = await transcribe({ response_format: 'text' });

    assert.equal(typeof transcription, 'string');
  });

  test('create_Srt_ReturnsNumberedCuesWithTimings', { timeout }, async () => {
    const transcription = await transcribe({ response_format: 'srt' });

    assert.equal(typeof transcription, 'string');
    assert.match(transcription, /^1\r?\n/);
    assert.match(transcription, srtTiming);
  });

  test('create_Vtt_ReturnsWebVttWithCueTimings', { timeout }, async () => {
    const transcription = await transcribe({ response_format: 'vtt' });

    assert.equal(typeof transcription, 'string');
    assert.match(transcription, /^WEBVTT\r?\n/);
    assert.match(transcription, vttTiming);
  });

  test('create_VerboseJson_ReturnsTaskLanguageDurationTextAndFullSegments', { timeout }, async () => {
    const transcription = await transcribe({ response_format: 'verbose_json', timestamp_granularities: ['segment'] });

    assert.equal(transcription.task, 'transcribe');
    assert.equal(typeof transcription.language, 'string');
    assert.ok(Math.abs(transcription.duration - 11) < 0.1, `jfk.wav is 11 s long, not ${transcription.duration}`);
    assert.equal(typeof transcription.text, 'string');
    assert.ok(transcription.segments.length > 0, 'jfk.wav is speech: at least one segment');
    transcription.segments.forEach((segment, index) => {
      assert.deepEqual(Object.keys(segment).sort(), [
        'avg_logprob', 'compression_ratio', 'end', 'id', 'no_speech_prob', 'seek', 'start', 'temperature', 'text', 'tokens',
      ]);
      assert.equal(segment.id, index);
      for (const field of ['seek', 'start', 'end', 'temperature', 'avg_logprob', 'compression_ratio', 'no_speech_prob']) {
        assert.equal(typeof segment[field], 'number', `segments[${index}].${field}`);
      }
      assert.equal(typeof segment.text, 'string');
      assert.ok(segment.tokens.every(Number.isInteger), `segments[${index}].tokens are token ids`);
      assert.ok(segment.start <= segment.end && segment.end <= transcription.duration + 0.5, `segments[${index}] lies in the audio`);
    });
  });

  test('create_VerboseJsonWithWordAndSegmentGranularities_ReturnsWordsAndSegments', { timeout }, async () => {
    const transcription = await transcribe({ response_format: 'verbose_json', timestamp_granularities: ['word', 'segment'] });

    assert.ok(transcription.segments.length > 0, 'jfk.wav is speech: at least one segment');
    assert.ok(transcription.words.length > 0, 'jfk.wav is speech: at least one word');
    let previousStart = 0;
    transcription.words.forEach((word, index) => {
      assert.deepEqual(Object.keys(word).sort(), ['end', 'start', 'word']);
      assert.equal(typeof word.word, 'string');
      assert.equal(word.word, word.word.trim(), `words[${index}] has no surrounding space`);
      assert.ok(word.start >= previousStart && word.start <= word.end, `words[${index}] is in order`);
      assert.ok(word.end <= transcription.duration + 0.5, `words[${index}] lies in the audio`);
      previousStart = word.start;
    });
  });

  test('create_VerboseJsonWithSegmentGranularity_HasNoWords', { timeout }, async () => {
    const transcription = await transcribe({ response_format: 'verbose_json', timestamp_granularities: ['segment'] });

    assert.equal(transcription.words, undefined);
  });

  test('create_Stream_YieldsDeltasThenOneDoneWithTheirText', { timeout }, async () => {
    const stream = await transcribe({ stream: true });

    const events = [];
    for await (const event of stream) {
      events.push(event);
    }
    const deltas = events.slice(0, -1);
    const done = events.at(-1);
    assert.ok(deltas.length > 0, 'jfk.wav is speech: at least one delta');
    for (const delta of deltas) {
      assert.equal(delta.type, 'transcript.text.delta');
      assert.equal(typeof delta.delta, 'string');
    }
    assert.equal(done.type, 'transcript.text.done');
    assert.equal(done.text, deltas.map((delta) => delta.delta).join(''));
  });
});

describe('audio.translations.create', () => {
  // The test model is English-only (tiny.en), so the server refuses to translate with it, as a 400 the SDK raises.
  test('create_EnglishOnlyModel_ThrowsBadRequestSayingEnglishOnly', { timeout }, async () => {
    const translation = hearsay.client.audio.translations.create({ model: 'whisper-1', file: fs.createReadStream(jfk) });

    await assert.rejects(translation, (error) => {
      assert.ok(error instanceof OpenAI.BadRequestError, `${error.constructor.name}: ${error.message}`);
      assert.equal(error.status, 400);
      assert.equal(error.type, 'invalid_request_error');
      assert.match(error.message, /English-only; translation needs a multilingual model/);
      return true;
    });
  });
});
