// audio.speech through OpenAI's own client. The SDK hands back the raw fetch Response for speech (it is binary), so
// streaming is read from response.body, as an app playing audio while it arrives would.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { startHearsay } from './hearsay.js';

const timeout = 120_000;
const sentences = 'The first sentence is here. A second one follows it. Then a third arrives. And a fourth ends the text.';

let hearsay;

before(async () => {
  hearsay = await startHearsay();
});

after(async () => {
  await hearsay?.stop();
});

function speak(fields) {
  return hearsay.client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'Hello from Hearsay.', ...fields });
}

/** The body as it arrives: one Uint8Array per read. */
async function readChunks(response) {
  const chunks = [];
  for await (const chunk of response.body) {
    chunks.push(chunk);
  }
  return chunks;
}

/** Server-sent events from the body, parsed as they arrive: each event's data lines, joined and read as JSON. */
async function* readEvents(response) {
  const decoder = new TextDecoder();
  let pending = '';
  for await (const chunk of response.body) {
    pending += decoder.decode(chunk, { stream: true });
    let separator;
    while ((separator = /\r?\n\r?\n/.exec(pending))) {
      const block = pending.slice(0, separator.index);
      pending = pending.slice(separator.index + separator[0].length);
      const data = block.split(/\r?\n/).filter((line) => line.startsWith('data:')).map((line) => line.slice(5).trimStart());
      if (data.length > 0) {
        yield JSON.parse(data.join('\n'));
      }
    }
  }
  assert.equal(pending.trim(), '', 'the stream ends with a complete event');
}

function ascii(bytes, start, end) {
  return Buffer.from(bytes.subarray(start, end)).toString('latin1');
}

describe('audio.speech.create', () => {
  test('create_Wav_ReturnsRiffWave', { timeout }, async () => {
    const response = await speak({ response_format: 'wav' });

    assert.equal(response.headers.get('content-type'), 'audio/wav');
    const audio = new Uint8Array(await response.arrayBuffer());
    assert.equal(ascii(audio, 0, 4), 'RIFF');
    assert.equal(ascii(audio, 8, 12), 'WAVE');
    assert.ok(audio.length > 44, 'more than a header');
  });

  test('create_Pcm_Returns16BitSamples', { timeout }, async () => {
    const response = await speak({ response_format: 'pcm' });

    const audio = await response.arrayBuffer();
    assert.ok(audio.byteLength > 0, 'some audio');
    assert.equal(audio.byteLength % 2, 0, '16-bit samples: an even number of bytes');
  });

  test('create_SeveralSentences_BodyArrivesInSeveralChunks', { timeout }, async () => {
    const response = await speak({ response_format: 'pcm', input: sentences });

    const chunks = await readChunks(response);
    assert.ok(chunks.length > 1, `the audio streams sentence by sentence, but arrived in ${chunks.length} chunk(s)`);
    const bytes = chunks.reduce((total, chunk) => total + chunk.length, 0);
    assert.equal(bytes % 2, 0, '16-bit samples: an even number of bytes');
  });

  test('create_StreamFormatSse_SendsAudioDeltasThenDone', { timeout }, async () => {
    const response = await speak({ model: 'gpt-4o-mini-tts', response_format: 'wav', input: sentences, stream_format: 'sse' });

    assert.match(response.headers.get('content-type'), /^text\/event-stream/);
    const events = [];
    for await (const event of readEvents(response)) {
      events.push(event);
    }
    const deltas = events.slice(0, -1);
    const done = events.at(-1);
    assert.ok(deltas.length > 1, `one delta per sentence, but ${deltas.length}`);
    const audio = deltas.map((delta) => {
      assert.equal(delta.type, 'speech.audio.delta');
      assert.match(delta.audio, /^[A-Za-z0-9+/]+=*$/, 'base64 audio');
      return Buffer.from(delta.audio, 'base64');
    });
    // The deltas' audio, joined, is the file the plain stream carries.
    const file = Buffer.concat(audio);
    assert.equal(ascii(file, 0, 4), 'RIFF');
    assert.equal(ascii(file, 8, 12), 'WAVE');
    assert.equal(done.type, 'speech.audio.done');
    for (const field of ['input_tokens', 'output_tokens', 'total_tokens']) {
      assert.ok(Number.isInteger(done.usage[field]), `usage.${field}`);
    }
  });

  // As OpenAI does: tts-1 and tts-1-hd do not stream events.
  test('create_StreamFormatSseWithTts1_ThrowsBadRequestNamingStreamFormat', { timeout }, async () => {
    await assert.rejects(speak({ stream_format: 'sse' }), (error) => {
      assert.ok(error instanceof OpenAI.BadRequestError, `${error.constructor.name}: ${error.message}`);
      assert.equal(error.param, 'stream_format');
      return true;
    });
  });
});
