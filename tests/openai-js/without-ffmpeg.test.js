// What apps record, uploaded through OpenAI's own client to a server on a machine without ffmpeg (as most Windows and
// macOS machines are): WebM/Opus from Chromium's MediaRecorder and MP3 are decoded inside Hearsay and transcribed in
// full. The duration is compared with ffmpeg's own decode of the same file, made here by the test, not by the server.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { readdir } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { repoAsset, startHearsay } from './hearsay.js';

const timeout = 120_000;

let hearsay;

before(async () => {
  hearsay = await startHearsay({ withoutFfmpeg: true });
});

after(async () => {
  await hearsay?.stop();
});

/** Seconds of audio in a file as ffmpeg decodes it (on this test's own PATH): a recording may declare no duration. */
function ffmpegSeconds(file) {
  const rate = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'a:0', '-show_entries', 'stream=sample_rate', '-of', 'csv=p=0', file], { encoding: 'utf8' });
  const samples = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-ac', '1', '-f', 'f32le', '-'], { maxBuffer: 64 * 1024 * 1024 }).length / 4;
  return samples / Number.parseInt(rate, 10);
}

async function assertNoFfmpeg() {
  assert.deepEqual(await readdir(hearsay.pathFolder), [], 'the server\'s PATH is an empty folder');
  const response = await fetch(`${hearsay.url}/v1/status`, { headers: { Authorization: `Bearer ${hearsay.token}` } });
  const ffmpeg = (await response.json()).tools.find((tool) => tool.name === 'ffmpeg');
  assert.equal(ffmpeg.found, false, `the server found ffmpeg at ${ffmpeg.path}`);
}

for (const file of ['recorded/chromium-mediarecorder-jfk.webm', 'encoded/jfk-mp3-16k-mono-32kbps-id3.mp3']) {
  test(`create_${file.split('.').pop()}WithoutFfmpeg_TranscribesAllOfIt`, { timeout }, async () => {
    await assertNoFfmpeg();
    const audio = repoAsset('audio', ...file.split('/'));

    const transcription = await hearsay.client.audio.transcriptions.create({
      model: 'whisper-1',
      file: fs.createReadStream(audio),
      response_format: 'verbose_json',
    });

    assert.equal(typeof transcription.text, 'string');
    const seconds = ffmpegSeconds(audio);
    assert.ok(Math.abs(transcription.duration - seconds) < 0.05, `${transcription.duration} s against ffmpeg's ${seconds} s`);
  });
}
