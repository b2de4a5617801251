'use strict';
// hearsay.dictate() against the real binary: a real clip's PCM pushed faster than real time (24 kHz, sox-resampled)
// and in real time (16 kHz, Hearsay's option), with server VAD. Random-weight test models give word salad, so the
// tests check the protocol and the consistency (each item's deltas add up to its transcript), not English.
const assert = require('node:assert/strict');
const { execFile } = require('node:child_process');
const { readFile } = require('node:fs/promises');
const { promisify } = require('node:util');
const { after, before, test } = require('node:test');
const { sharedAsset, startTestHearsay, waitFor } = require('./support/hearsay');
const { HearsayError } = require('../dist');

const timeout = 180_000;
let started;

before(async () => {
  started = await startTestHearsay({ tts: 'none' });
  await started.hearsay.waitUntilReady({ require: ['stt'] });
});

after(async () => {
  await started?.cleanup();
});

/** A clip as PCM16 little-endian mono at `rate`, followed by `silenceSeconds` of silence (sox resamples). */
async function pcm(clip, rate, silenceSeconds) {
  const { stdout } = await promisify(execFile)(
    'sox',
    [sharedAsset('audio', 'wav16k', clip), '-t', 'raw', '-e', 'signed-integer', '-b', '16', '-c', '1', '-r', String(rate), '-L', '-'],
    { encoding: 'buffer', maxBuffer: 64 << 20 },
  );
  return Buffer.concat([stdout, Buffer.alloc(rate * 2 * silenceSeconds)]);
}

/**
 * Pushes `audio` in 100 ms blocks (waiting 100 ms between them when `realTime`) while reading events, until every
 * utterance the server heard is transcribed; then closes. Resolves to the events in order.
 */
async function dictate(audio, rate, realTime, options = {}) {
  const dictation = await started.hearsay.dictate({ rate, ...options });
  const events = [];
  const reading = (async () => {
    for await (const event of dictation) {
      events.push(event);
    }
  })();
  const block = rate / 10 * 2;
  for (let offset = 0; offset < audio.length; offset += block) {
    dictation.push(audio.subarray(offset, offset + block));
    if (realTime) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  await waitFor(() => {
    const count = (type) => events.filter((event) => event.type === type).length;
    const committed = count('input_audio_buffer.committed');
    return committed > 0
      && count('input_audio_buffer.speech_started') === count('input_audio_buffer.speech_stopped')
      && count('conversation.item.input_audio_transcription.completed') === committed;
  }, 120_000, 'every committed utterance to be transcribed');
  await dictation.close();
  await reading;
  return { dictation, events };
}

/** Checks each item's events: started, stopped, committed, completed in order, and its deltas adding up. */
function assertItems(events) {
  const completed = events.filter((event) => event.type === 'conversation.item.input_audio_transcription.completed');
  assert.ok(completed.length > 0);
  for (const item of completed) {
    const ofItem = events.filter((event) => event.item_id === item.item_id);
    const order = ofItem.map((event) => event.type).filter((type) => !type.startsWith('conversation.') && !type.startsWith('hearsay.'));
    assert.deepEqual(order, ['input_audio_buffer.speech_started', 'input_audio_buffer.speech_stopped', 'input_audio_buffer.committed']);
    const deltas = ofItem.filter((event) => event.type === 'conversation.item.input_audio_transcription.delta').map((event) => event.delta).join('');
    assert.equal(deltas, item.transcript);
    assert.equal(typeof item.transcript, 'string');
    assert.equal(item.usage.type, 'duration');
    const startedAt = ofItem[0].audio_start_ms;
    const stoppedAt = ofItem.find((event) => event.type === 'input_audio_buffer.speech_stopped').audio_end_ms;
    assert.ok(startedAt >= 0 && stoppedAt > startedAt, `speech from ${startedAt} to ${stoppedAt} ms`);
  }
  assert.equal(events.filter((event) => event.type === 'error').length, 0, JSON.stringify(events.filter((event) => event.type === 'error')));
}

test('dictate: a clip pushed faster than real time at 24 kHz is transcribed item by item, deltas adding up', { timeout }, async () => {
  const audio = await pcm('jfk.wav', 24000, 2);
  const { dictation, events } = await dictate(audio, 24000, false);

  assert.equal(dictation.session.audio.input.format.rate, 24000);
  assert.equal(dictation.session.audio.input.turn_detection.type, 'server_vad');
  assertItems(events);
  const last = events.filter((event) => event.type === 'input_audio_buffer.speech_stopped').at(-1);
  assert.ok(last.audio_end_ms <= audio.length / 2 / 24, `speech stopped at ${last.audio_end_ms} ms, after the audio`);
});

test('dictate: a clip pushed in real time at 16 kHz gets interim text while spoken, and close frees the session', { timeout }, async () => {
  const audio = await pcm('lj_LJ001-0001.wav', 16000, 2);
  const closedBefore = started.logs.filter((line) => line.includes('Realtime transcription session closed')).length;
  const { events } = await dictate(audio, 16000, true);

  assertItems(events);
  assert.ok(events.some((event) => event.type === 'hearsay.input_audio_transcription.interim'), 'no interim text while speaking');
  // The server logs the session's end (event 2454) as soon as the socket closes.
  await waitFor(
    () => started.logs.filter((line) => line.includes('Realtime transcription session closed')).length > closedBefore,
    10_000,
    'the server to close the session',
  );
});

test('dictate: without turn detection, commit() makes an item; push refuses half a sample; a closed session refuses more', { timeout }, async () => {
  const audio = await pcm('lj_LJ001-0002.wav', 16000, 0);
  const dictation = await started.hearsay.dictate({ rate: 16000, turnDetection: null, language: 'en' });
  assert.equal(dictation.session.audio.input.turn_detection, null);
  assert.throws(() => dictation.push(Buffer.alloc(3)), RangeError);
  const samples = new Int16Array(audio.length / 2);
  for (let i = 0; i < samples.length; i++) {
    samples[i] = audio.readInt16LE(i * 2);
  }
  dictation.push(samples);
  dictation.commit();
  const events = [];
  for await (const event of dictation) {
    events.push(event);
    if (event.type === 'conversation.item.input_audio_transcription.completed') {
      break;
    }
  }

  const committed = events.find((event) => event.type === 'input_audio_buffer.committed');
  const completed = events.at(-1);
  assert.equal(completed.item_id, committed.item_id);
  assert.equal(events.filter((event) => event.type === 'conversation.item.input_audio_transcription.delta').map((event) => event.delta).join(''), completed.transcript);
  assert.ok(!events.some((event) => event.type === 'input_audio_buffer.speech_started'));
  // Breaking out of the loop closed the session.
  assert.throws(() => dictation.push(samples), HearsayError);
});

test('dictate: options Hearsay does not serve reject with the server\'s reason', { timeout }, async () => {
  await assert.rejects(started.hearsay.dictate({ rate: 8000 }), (error) => {
    assert.ok(error instanceof HearsayError);
    assert.match(error.message, /refused the dictation options/);
    return true;
  });
});

test('dictate: speech-to-text not ready rejects with HearsayUnavailableError, as a transcription would', { timeout }, async () => {
  const { HearsayUnavailableError } = require('../dist');
  const without = await startTestHearsay({ stt: 'none', tts: 'none' });
  try {
    await assert.rejects(without.hearsay.dictate(), (error) => {
      assert.ok(error instanceof HearsayUnavailableError, String(error));
      assert.equal(error.status, 503);
      assert.equal(error.capability, 'stt');
      return true;
    });
  } finally {
    await without.cleanup();
  }
});

test('dictate: Hearsay stopping during a session ends the iteration at once with a HearsayError naming 1001', { timeout }, async () => {
  const own = await startTestHearsay({ tts: 'none' });
  try {
    await own.hearsay.waitUntilReady({ require: ['stt'] });
    const dictation = await own.hearsay.dictate({ rate: 16000 });
    // Settles when the iteration ends: null if it ended quietly, else what it threw.
    const ended = (async () => {
      for await (const event of dictation) {
        void event;
      }
    })().then(() => null, (error) => error);
    dictation.push(await pcm('lj_LJ001-0002.wav', 16000, 0));

    const stopping = Date.now();
    await own.hearsay.stop();

    const error = await ended;
    assert.ok(error instanceof HearsayError, String(error));
    assert.match(error.message, /1001: Hearsay is stopping\./);
    // Without the server's close, Kestrel held the stop for 30 s and the kit escalated to signals.
    assert.ok(Date.now() - stopping < 10_000, `the stop took ${Date.now() - stopping} ms`);
  } finally {
    await own.cleanup();
  }
});
