// Live transcription through OpenAI's own Realtime WebSocket client (openai/realtime/ws on the `ws` package), changed
// only in base URL and key: a real recording streamed as PCM16 at 24 kHz, in real time and faster, with server VAD
// and with manual commits. The test Whisper model has random weights, so the tests check the protocol, the timing
// and the consistency: deltas that add up to each transcript, and transcripts equal to the file endpoint's for the
// same samples (the server's sampling is seeded, since random weights fall back to sampling).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import OpenAI, { toFile } from 'openai';
import { OpenAIRealtimeWS } from 'openai/realtime/ws';
import { sharedAsset, startHearsay } from './hearsay.js';
import { startTlsFront } from './tls-front.js';

const timeout = 180_000;
const rate = 24000;
const chunkMs = 100;
const chunkBytes = (rate * 2 * chunkMs) / 1000;

let hearsay;
let front;
let client;

before(async () => {
  hearsay = await startHearsay({ serveArgs: ['--sampling-seed', '17'] });
  front = await startTlsFront(hearsay.url);
  client = new OpenAI({ apiKey: hearsay.token, baseURL: `${front.url}/v1` });
});

after(async () => {
  await front?.stop();
  await hearsay?.stop();
});

/** A clip of the shared recordings as PCM16 little-endian mono at 24 kHz, converted by sox. */
function pcm(clip) {
  return execFileSync('sox', [sharedAsset('audio', 'wav16k', clip), '-t', 'raw', '-e', 'signed-integer', '-b', '16', '-L', '-c', '1', '-r', String(rate), '-']);
}

function silence(seconds) {
  return Buffer.alloc(rate * 2 * seconds);
}

/** Opens a transcription session with OpenAI's client; `next(type)` waits for the next event of a type. */
async function open() {
  // The server's certificate is the TLS front's throwaway one; everything else is as for api.openai.com.
  const rt = new OpenAIRealtimeWS({ intent: 'transcription', options: { ca: front.cert } }, client);
  const events = [];
  const waiting = [];
  const errors = [];
  rt.on('event', (event) => {
    events.push(event);
    for (const waiter of waiting.filter((w) => w.type === event.type)) {
      waiting.splice(waiting.indexOf(waiter), 1);
      waiter.resolve(event);
    }
  });
  rt.on('error', (error) => errors.push(error));
  let taken = 0;
  const session = {
    rt,
    events,
    errors,
    next(type) {
      const index = events.findIndex((event, i) => i >= taken && event.type === type);
      if (index >= 0) {
        taken = index + 1;
        return Promise.resolve(events[index]);
      }
      return new Promise((resolve) => waiting.push({
        type,
        resolve: (event) => {
          taken = events.indexOf(event) + 1;
          resolve(event);
        },
      }));
    },
    of(type) {
      return events.filter((event) => event.type === type);
    },
    async stream(audio, { realTime }) {
      for (let offset = 0; offset < audio.length; offset += chunkBytes) {
        rt.send({ type: 'input_audio_buffer.append', audio: audio.subarray(offset, offset + chunkBytes).toString('base64') });
        if (realTime) {
          await new Promise((resolve) => setTimeout(resolve, chunkMs));
        }
      }
    },
    close() {
      rt.close();
    },
  };
  await new Promise((resolve, reject) => {
    rt.socket.once('open', resolve);
    rt.socket.once('error', reject);
  });
  await session.next('session.created');
  return session;
}

async function configure(session, turnDetection) {
  session.rt.send({
    type: 'session.update',
    session: {
      type: 'transcription',
      audio: {
        input: {
          format: { type: 'audio/pcm', rate },
          transcription: { model: 'gpt-4o-transcribe', language: 'en' },
          turn_detection: turnDetection,
        },
      },
    },
  });
  return session.next('session.updated');
}

function deltas(session, itemId) {
  return session.of('conversation.item.input_audio_transcription.delta')
    .filter((event) => event.item_id === itemId)
    .map((event) => event.delta)
    .join('');
}

async function fileTranscript(audio) {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + audio.length, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(audio.length, 40);
  const file = await toFile(Buffer.concat([header, audio]), 'clip.wav', { type: 'audio/wav' });
  // Straight to the server: the file endpoint is plain HTTP.
  const transcription = await hearsay.client.audio.transcriptions.create({ model: 'whisper-1', file, language: 'en' });
  return transcription.text;
}

/** Every committed item: speech times in order and inside the audio sent, and deltas that add up to its transcript. */
function assertItems(session, count, sentMs) {
  const started = session.of('input_audio_buffer.speech_started');
  const stopped = session.of('input_audio_buffer.speech_stopped');
  const committed = session.of('input_audio_buffer.committed');
  const completed = session.of('conversation.item.input_audio_transcription.completed');
  assert.equal(started.length, count);
  assert.equal(stopped.length, count);
  assert.equal(committed.length, count);
  assert.equal(completed.length, count);
  let previousEnd = -1;
  let previousItem = null;
  for (let i = 0; i < count; i++) {
    const itemId = started[i].item_id;
    assert.equal(stopped[i].item_id, itemId);
    assert.equal(committed[i].item_id, itemId);
    assert.equal(committed[i].previous_item_id, previousItem);
    assert.equal(completed[i].item_id, itemId);
    assert.ok(started[i].audio_start_ms > previousEnd, `item ${i} starts at ${started[i].audio_start_ms} after ${previousEnd}`);
    assert.ok(stopped[i].audio_end_ms > started[i].audio_start_ms);
    assert.ok(stopped[i].audio_end_ms <= sentMs, `item ${i} ends at ${stopped[i].audio_end_ms} of ${sentMs} ms sent`);
    assert.equal(deltas(session, itemId), completed[i].transcript);
    assert.equal(completed[i].usage.type, 'duration');
    previousEnd = stopped[i].audio_end_ms;
    previousItem = itemId;
  }
}

describe('realtime transcription (openai/realtime/ws)', () => {
  test('serverVad_ClipInRealTime_SpeechEventsCommittedCompletedAndDeltasAddUp', { timeout }, async () => {
    const audio = Buffer.concat([pcm('jfk.wav'), silence(2)]);
    const session = await open();
    try {
      await configure(session, { type: 'server_vad', threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: 1500 });
      await session.stream(audio, { realTime: true });
      await session.next('conversation.item.input_audio_transcription.completed');

      assertItems(session, 1, (audio.length / 2 / rate) * 1000);
      assert.ok(session.of('hearsay.input_audio_transcription.interim').length > 0, 'interim results while speaking');
      assert.deepEqual(session.errors, []);
    } finally {
      session.close();
    }
  });

  test('serverVad_ClipsFasterThanRealTime_EachUtteranceCommittedAndCompletedInOrder', { timeout }, async () => {
    const clips = ['lj_LJ001-0002.wav', 'arctic_aew_a0001.wav', 'cathy_arctic_a0038.wav'];
    const audio = Buffer.concat(clips.flatMap((clip) => [pcm(clip), silence(2)]));
    const session = await open();
    try {
      await session.stream(audio, { realTime: false });
      for (let i = 0; i < clips.length; i++) {
        await session.next('conversation.item.input_audio_transcription.completed');
      }

      assertItems(session, clips.length, (audio.length / 2 / rate) * 1000);
      assert.deepEqual(session.errors, []);
    } finally {
      session.close();
    }
  });

  test('manualCommits_FasterThanRealTime_EachTranscriptIsTheFileEndpointsForTheSameSamples', { timeout }, async () => {
    const clips = [pcm('lj_LJ001-0002.wav'), pcm('arctic_aew_a0002.wav')];
    const session = await open();
    try {
      const updated = await configure(session, null);
      assert.equal(updated.session.audio.input.turn_detection, null);
      for (const clip of clips) {
        await session.stream(clip, { realTime: false });
        session.rt.send({ type: 'input_audio_buffer.commit' });
        await session.next('conversation.item.input_audio_transcription.completed');
      }

      const completed = session.of('conversation.item.input_audio_transcription.completed');
      for (let i = 0; i < clips.length; i++) {
        assert.equal(completed[i].transcript, await fileTranscript(clips[i]));
        assert.equal(deltas(session, completed[i].item_id), completed[i].transcript);
        assert.ok(Math.abs(completed[i].usage.seconds - clips[i].length / 2 / rate) < 0.01);
      }
      assert.equal(session.of('conversation.item.added').length, clips.length);
      assert.equal(session.of('conversation.item.done').length, clips.length);
      assert.deepEqual(session.errors, []);
    } finally {
      session.close();
    }
  });

  test('badEvent_ErrorEventThroughTheClientsErrorListener_AndTheSessionGoesOn', { timeout }, async () => {
    const session = await open();
    try {
      session.rt.send({ type: 'input_audio_buffer.append', audio: 'AAAA', event_id: 'odd' });
      const error = await session.next('error');
      session.rt.send({ type: 'input_audio_buffer.clear' });
      await session.next('input_audio_buffer.cleared');

      assert.equal(error.error.code, 'invalid_value');
      assert.equal(error.error.param, 'audio');
      assert.equal(error.error.event_id, 'odd');
      assert.equal(session.errors.length, 1);
      assert.equal(session.errors[0].error.code, 'invalid_value');
    } finally {
      session.close();
    }
  });
});
