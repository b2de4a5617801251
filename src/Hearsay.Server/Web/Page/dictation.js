// Live dictation: the microphone as PCM16 over Hearsay's Realtime transcription WebSocket (OpenAI's protocol, ADR 0013),
// the text appearing as it settles, the not-yet-settled tail in grey, and each finished utterance as a line.
import { microphoneProblem } from './recorder.js';

// OpenAI's rate; Hearsay also takes 16 kHz.
const rate = 24000;
// How long Stop waits for the utterance it commits to be transcribed before closing anyway.
const finishTimeoutMs = 30_000;

/** Opens the microphone and a transcription session; `onEvent` gets every server event, `onClosed` an unasked close. */
export class Dictation {
  #socket;
  #stream;
  #context;
  #node;
  #stopping = false;
  #listeners = new Set();

  /**
   * Asks for the microphone first (its refusal is the likeliest failure), then connects. Throws the microphone's
   * DOMException, or a DictationError when the connection fails.
   */
  static async start(baseUrl, token, { onEvent, onClosed }) {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    let socket = null;
    let context = null;
    try {
      socket = await connect(baseUrl, token);
      context = new AudioContext();
      await context.audioWorklet.addModule(new URL('./recorder-worklet.js', import.meta.url));
      // No outputs: the node is a sink, which the audio graph pulls without connecting it to the speakers.
      const node = new AudioWorkletNode(context, 'hearsay-pcm16',
        { numberOfInputs: 1, numberOfOutputs: 0, processorOptions: { rate } });
      const dictation = new Dictation(stream, socket, context, node, onEvent, onClosed);
      context.createMediaStreamSource(stream).connect(node);
      return dictation;
    } catch (error) {
      stream.getTracks().forEach(track => track.stop());
      socket?.close();
      await context?.close();
      throw error;
    }
  }

  constructor(stream, socket, context, node, onEvent, onClosed) {
    this.#stream = stream;
    this.#socket = socket;
    this.#context = context;
    this.#node = node;
    socket.onmessage = message => {
      const event = JSON.parse(message.data);
      onEvent(event);
      this.#listeners.forEach(listener => listener(event));
    };
    socket.onclose = () => {
      if (!this.#stopping) {
        this.#release();
        onClosed();
      }
    };
    // Server VAD with OpenAI's defaults, stated so that the session does not depend on them.
    this.#send({
      type: 'session.update',
      session: {
        type: 'transcription',
        audio: { input: { format: { type: 'audio/pcm', rate }, turn_detection: { type: 'server_vad' } } },
      },
    });
    node.port.onmessage = message => this.#send({ type: 'input_audio_buffer.append', audio: toBase64(message.data) });
  }

  /**
   * Stops the microphone. When `itemId` (an utterance under way) is given, commits the audio so far and waits for its
   * transcript (or failure) before closing, so the last words are not lost.
   */
  async stop(itemId) {
    this.#stopping = true;
    this.#node.port.onmessage = null;
    this.#stream.getTracks().forEach(track => track.stop());
    await this.#context.close();
    if (itemId && this.#socket.readyState === WebSocket.OPEN) {
      await new Promise(resolve => {
        const finish = () => {
          clearTimeout(timer);
          this.#listeners.delete(listener);
          this.#socket.removeEventListener('close', finish);
          resolve();
        };
        const listener = event => {
          const transcribed = (event.type === 'conversation.item.input_audio_transcription.completed'
            || event.type === 'conversation.item.input_audio_transcription.failed') && event.item_id === itemId;
          // Too little audio since the last turn to commit: nothing more will come.
          if (transcribed || (event.type === 'error' && event.error?.code === 'input_audio_buffer_commit_empty')) {
            finish();
          }
        };
        const timer = setTimeout(finish, finishTimeoutMs);
        this.#listeners.add(listener);
        this.#socket.addEventListener('close', finish);
        this.#send({ type: 'input_audio_buffer.commit' });
      });
    }
    this.#socket.close(1000);
  }

  #release() {
    this.#node.port.onmessage = null;
    this.#stream.getTracks().forEach(track => track.stop());
    this.#context.close().catch(() => {});
  }

  #send(event) {
    if (this.#socket.readyState === WebSocket.OPEN) {
      this.#socket.send(JSON.stringify(event));
    }
  }
}

/** The session could not be opened; a browser's WebSocket does not say why (the page asks Hearsay's status). */
export class DictationError extends Error {}

function connect(baseUrl, token) {
  const url = new URL('/v1/realtime?intent=transcription', baseUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  // Browsers cannot set an Authorization header on a WebSocket: OpenAI's protocol carries the key as a subprotocol.
  const socket = new WebSocket(url, ['realtime', `openai-insecure-api-key.${token}`]);
  return new Promise((resolve, reject) => {
    socket.onmessage = message => {
      const event = JSON.parse(message.data);
      if (event.type === 'session.created') {
        socket.onmessage = null;
        socket.onclose = null;
        resolve(socket);
      }
    };
    socket.onclose = () => reject(new DictationError('The dictation connection was refused or lost.'));
  });
}

function toBase64(buffer) {
  const bytes = new Uint8Array(buffer);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** The Dictate card: its button (Dictate / Stop), the state line, the text and the problems. */
export function createDictate(api, ui) {
  let dictation = null;
  let starting = false;
  // The item whose speech has started and is not committed yet: Stop commits it.
  let openItem = null;
  const items = new Map();

  ui.dictate.addEventListener('click', () => (dictation ? stop() : start()));

  function render(status) {
    ui.dictatePanel.hidden = status.stt.state !== 'ready';
    if (ui.dictatePanel.hidden && dictation) {
      stop();
    }
  }

  async function start() {
    if (starting) {
      return;
    }
    starting = true;
    ui.dictateError.textContent = '';
    ui.dictate.disabled = true;
    ui.dictateState.textContent = 'Starting…';
    try {
      dictation = await Dictation.start(api.baseUrl, api.token, { onEvent: show, onClosed: lost });
      ui.dictate.textContent = 'Stop';
      ui.dictate.setAttribute('aria-pressed', 'true');
      ui.dictateState.textContent = 'Listening…';
    } catch (error) {
      ui.dictateState.textContent = '';
      ui.dictateError.textContent = error instanceof DictationError
        ? await whyNotConnected()
        : error.name === 'NotAllowedError' || error.name === 'NotFoundError'
          ? microphoneProblem(error, 'then try again')
          : `Dictation could not start: ${error.message}`;
    } finally {
      ui.dictate.disabled = false;
      starting = false;
    }
  }

  async function stop() {
    const current = dictation;
    dictation = null;
    ui.dictate.disabled = true;
    ui.dictateState.textContent = openItem ? 'Finishing the last words…' : '';
    try {
      await current.stop(openItem);
    } finally {
      openItem = null;
      reset();
    }
  }

  function lost() {
    dictation = null;
    openItem = null;
    reset();
    ui.dictateError.textContent = 'The connection to Hearsay was lost, so dictation stopped. Check that Hearsay is running, then try again.';
  }

  function reset() {
    ui.dictate.disabled = false;
    ui.dictate.textContent = 'Dictate';
    ui.dictate.setAttribute('aria-pressed', 'false');
    ui.dictateState.textContent = '';
    for (const item of items.values()) {
      item.interim.textContent = '';
    }
  }

  // A browser's WebSocket hides the HTTP answer to its upgrade: the status says whether speech-to-text is the reason.
  async function whyNotConnected() {
    let status;
    try {
      status = await api.json('/v1/status');
    } catch (error) {
      return error.status === 0 ? 'Hearsay did not answer, so dictation cannot start: is it still running?' : `Dictation could not start: ${error.message}`;
    }
    return status.stt.state !== 'ready'
      ? 'Speech-to-text is not available right now, so dictation cannot start. See its state above.'
      : 'Hearsay did not accept the dictation connection. Reload the page and try again.';
  }

  function item(id) {
    let found = items.get(id);
    if (!found) {
      const line = document.createElement('p');
      const settled = document.createElement('span');
      settled.className = 'settled';
      // The grey tail may still change: screen readers get the settled text only.
      const interim = document.createElement('span');
      interim.className = 'interim';
      interim.setAttribute('aria-hidden', 'true');
      line.append(settled, interim);
      line.dataset.item = id;
      ui.dictation.append(line);
      found = { line, settled, interim };
      items.set(id, found);
    }
    return found;
  }

  function show(event) {
    switch (event.type) {
      case 'input_audio_buffer.speech_started':
        openItem = event.item_id;
        item(event.item_id);
        ui.dictateState.textContent = 'Hearing speech…';
        break;
      case 'input_audio_buffer.committed':
        if (openItem === event.item_id) {
          openItem = null;
        }
        if (dictation) {
          ui.dictateState.textContent = 'Listening…';
        }
        break;
      case 'conversation.item.input_audio_transcription.delta':
        item(event.item_id).settled.textContent += event.delta;
        break;
      case 'hearsay.input_audio_transcription.interim':
        item(event.item_id).interim.textContent = event.text;
        break;
      case 'conversation.item.input_audio_transcription.completed': {
        const done = item(event.item_id);
        done.settled.textContent = event.transcript;
        done.interim.textContent = '';
        done.line.dataset.state = 'completed';
        break;
      }
      case 'conversation.item.input_audio_transcription.failed': {
        const failed = item(event.item_id);
        failed.interim.textContent = '';
        failed.line.dataset.state = 'failed';
        failed.line.append(` (this part could not be transcribed: ${event.error?.message ?? 'unknown error'})`);
        break;
      }
      case 'error':
        // Most errors leave the session open; say what happened and go on.
        ui.dictateError.textContent = `Hearsay reported a problem: ${event.error?.message ?? 'unknown error'}`;
        break;
    }
  }

  return { render };
}
