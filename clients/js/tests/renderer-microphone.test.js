'use strict';
// The renderer's captureMicrophone() in Chromium (Debian's, or HEARSAY_CHROMIUM), whose fake microphone plays a real
// clip followed by 2 s of silence: the page sends each PCM block to this process, as a renderer would over IPC, and
// this process pushes it into hearsay.dictate(). Chromium is driven over the DevTools protocol with `ws`.
const assert = require('node:assert/strict');
const { execFile, spawn } = require('node:child_process');
const { existsSync } = require('node:fs');
const { mkdtemp, readFile, rm } = require('node:fs/promises');
const { createServer } = require('node:http');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { promisify } = require('node:util');
const { after, before, test } = require('node:test');
const WebSocket = require('ws');
const { sharedAsset, startTestHearsay, waitFor } = require('./support/hearsay');

const timeout = 180_000;
const rendererDir = path.join(__dirname, '..', 'dist', 'renderer');
let started;
let folder;

before(async () => {
  started = await startTestHearsay({ tts: 'none' });
  await started.hearsay.waitUntilReady({ require: ['stt'] });
  folder = await mkdtemp(path.join(tmpdir(), 'hearsay-renderer-'));
});

after(async () => {
  await started?.cleanup();
  if (folder) {
    await rm(folder, { recursive: true, force: true });
  }
});

function chromiumPath() {
  const configured = process.env.HEARSAY_CHROMIUM || '/usr/bin/chromium';
  if (!existsSync(configured)) {
    throw new Error(`Chromium is not at ${configured}: this test needs it. Install it with 'apt-get install chromium', or set HEARSAY_CHROMIUM.`);
  }
  return configured;
}

/** Serves the built renderer module and a page that captures the microphone into a DevTools binding. */
async function serveRenderer() {
  const page = `<!doctype html><script type="module">
    import { captureMicrophone } from '/renderer/microphone.js';
    window.startCapture = async () => {
      window.capture = await captureMicrophone((pcm) => {
        const bytes = new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength);
        let binary = '';
        for (const byte of bytes) binary += String.fromCharCode(byte);
        window.hearsayPcm(btoa(binary));
      }, { rate: 24000 });
      return window.capture.contextRate;
    };
  </script>`;
  const server = createServer(async (request, response) => {
    if (request.url === '/') {
      response.writeHead(200, { 'content-type': 'text/html' }).end(page);
      return;
    }
    const name = request.url.startsWith('/renderer/') ? path.basename(request.url) : null;
    if (!name || !existsSync(path.join(rendererDir, name))) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'text/javascript' }).end(await readFile(path.join(rendererDir, name)));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** Starts headless Chromium with a fake microphone playing `wav`; resolves to the process and its DevTools URL. */
async function startChromium(wav) {
  const browser = spawn(chromiumPath(), [
    '--headless=new', '--no-sandbox', '--remote-debugging-port=0', `--user-data-dir=${path.join(folder, 'profile')}`,
    '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${wav}`,
    '--autoplay-policy=no-user-gesture-required', 'about:blank',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const url = await new Promise((resolve, reject) => {
    browser.stderr.on('data', (chunk) => {
      stderr += chunk;
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(stderr);
      if (match) {
        resolve(match[1]);
      }
    });
    browser.on('exit', (code) => reject(new Error(`Chromium exited (${code}) before listening: ${stderr}`)));
  });
  return { browser, url };
}

/** A DevTools protocol connection: `send(method, params, sessionId)`, and `on(method, listener)`. */
async function devTools(url) {
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  let next = 1;
  const pending = new Map();
  const listeners = new Map();
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString());
    if (message.id && pending.has(message.id)) {
      const { resolve, reject } = pending.get(message.id);
      pending.delete(message.id);
      message.error ? reject(new Error(JSON.stringify(message.error))) : resolve(message.result);
    } else if (message.method) {
      listeners.get(message.method)?.(message.params);
    }
  });
  return {
    send(method, params = {}, sessionId = undefined) {
      const id = next++;
      socket.send(JSON.stringify({ id, method, params, ...(sessionId && { sessionId }) }));
      return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
    },
    on(method, listener) {
      listeners.set(method, listener);
    },
    close() {
      socket.close();
    },
  };
}

test('captureMicrophone: Chromium\'s microphone, through the page\'s worklet, dictated from the main process', { timeout }, async () => {
  const wav = path.join(folder, 'microphone.wav');
  await promisify(execFile)('sox', [sharedAsset('audio', 'wav16k', 'lj_LJ001-0001.wav'), wav, 'pad', '0', '2']);
  const server = await serveRenderer();
  const { browser, url } = await startChromium(wav);
  const tools = await devTools(url);
  const dictation = await started.hearsay.dictate();
  const events = [];
  let pushedBytes = 0;
  try {
    const reading = (async () => {
      for await (const event of dictation) {
        events.push(event);
      }
    })();
    const { targetId } = await tools.send('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await tools.send('Target.attachToTarget', { targetId, flatten: true });
    tools.on('Runtime.bindingCalled', ({ name, payload }) => {
      if (name === 'hearsayPcm') {
        const bytes = Buffer.from(payload, 'base64');
        pushedBytes += bytes.length;
        dictation.push(bytes);
      }
    });
    await tools.send('Runtime.enable', {}, sessionId);
    await tools.send('Runtime.addBinding', { name: 'hearsayPcm' }, sessionId);
    await tools.send('Page.enable', {}, sessionId);
    await tools.send('Page.navigate', { url: `http://127.0.0.1:${server.address().port}/` }, sessionId);
    await waitFor(async () => {
      const { result } = await tools.send('Runtime.evaluate', { expression: 'typeof window.startCapture', returnByValue: true }, sessionId);
      return result.value === 'function';
    }, 20_000, 'the page to load its module');
    const { result, exceptionDetails } = await tools.send(
      'Runtime.evaluate', { expression: 'window.startCapture()', awaitPromise: true, returnByValue: true }, sessionId);
    assert.equal(exceptionDetails, undefined, JSON.stringify(exceptionDetails));
    assert.ok(result.value > 0, `context rate ${result.value}`);

    await waitFor(() => events.some((event) => event.type === 'conversation.item.input_audio_transcription.completed'), 90_000, 'a completed item');
    await tools.send('Runtime.evaluate', { expression: 'window.capture.stop()', awaitPromise: true }, sessionId);
    await dictation.close();
    await reading;
  } finally {
    tools.close();
    browser.kill();
    server.close();
  }

  // Blocks of 100 ms at 24 kHz, and the server heard speech in them that ended, was committed and transcribed.
  assert.equal(pushedBytes % 4800, 0);
  const completed = events.find((event) => event.type === 'conversation.item.input_audio_transcription.completed');
  const ofItem = events.filter((event) => event.item_id === completed.item_id);
  const types = ofItem.map((event) => event.type);
  assert.ok(types.indexOf('input_audio_buffer.speech_started') < types.indexOf('input_audio_buffer.speech_stopped'), types.join(' '));
  assert.ok(types.indexOf('input_audio_buffer.committed') < types.indexOf(completed.type), types.join(' '));
  const stoppedAt = ofItem.find((event) => event.type === 'input_audio_buffer.speech_stopped').audio_end_ms;
  assert.ok(pushedBytes / 2 / 24 >= stoppedAt, `pushed ${pushedBytes} bytes, speech stopped at ${stoppedAt} ms`);
  const deltas = ofItem.filter((event) => event.type === 'conversation.item.input_audio_transcription.delta').map((event) => event.delta).join('');
  assert.equal(deltas, completed.transcript);
  assert.ok(completed.transcript.trim().length > 0);
  assert.equal(events.filter((event) => event.type === 'error').length, 0);
});
