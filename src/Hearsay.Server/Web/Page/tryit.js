// Trying the voice: speech-to-text from the microphone or a file, and text-to-speech into an <audio> element.
import { Recorder, microphoneProblem } from './recorder.js';
import { readsWithoutFfmpeg, toWav } from './wav.js';
import { formatSeconds } from './format.js';

// Recordings stay well under the server's 25 MiB upload limit (48 kHz 16-bit mono is about 5.8 MB a minute).
const longestRecordingSeconds = 120;

export function createTryIt(api, ui) {
  let ffmpegFound = true;
  let recorder = null;
  let recordingTimer = 0;
  let audioUrl = null;

  ui.record.addEventListener('click', () => (recorder ? stopRecording() : startRecording()));
  ui.sttFile.addEventListener('change', () => {
    const file = ui.sttFile.files[0];
    if (file) {
      transcribe(file, file.name);
    }
  });
  ui.ttsForm.addEventListener('submit', event => {
    event.preventDefault();
    speak();
  });

  function render(status) {
    ui.sttPanel.hidden = status.stt.state !== 'ready';
    ui.ttsPanel.hidden = status.tts.state !== 'ready';
    ffmpegFound = (status.tools ?? []).find(tool => tool.name === 'ffmpeg')?.found !== false;
    ui.sttNote.textContent = ffmpegFound
      ? ''
      : 'Without ffmpeg Hearsay reads WAV, FLAC, MP3, Ogg and WebM: this page converts other files to WAV before sending them.';
    if (ui.sttPanel.hidden && recorder) {
      stopRecording();
    }
  }

  async function startRecording() {
    ui.sttError.textContent = '';
    try {
      recorder = await Recorder.start();
    } catch (error) {
      ui.sttError.textContent = microphoneProblem(error, 'or choose a file instead');
      return;
    }
    ui.record.textContent = 'Stop';
    ui.record.setAttribute('aria-pressed', 'true');
    ui.recordTime.textContent = 'Recording…';
    recordingTimer = setInterval(() => {
      const seconds = recorder.seconds;
      ui.recordTime.textContent = `Recording… ${formatSeconds(seconds)}`;
      if (seconds >= longestRecordingSeconds) {
        stopRecording();
      }
    }, 1000);
  }

  async function stopRecording() {
    clearInterval(recordingTimer);
    const current = recorder;
    recorder = null;
    ui.record.textContent = 'Record';
    ui.record.setAttribute('aria-pressed', 'false');
    ui.recordTime.textContent = '';
    const wav = await current.stop();
    await transcribe(wav, 'recording.wav');
  }

  async function transcribe(audio, name) {
    ui.sttError.textContent = '';
    ui.sttResult.textContent = 'Transcribing…';
    ui.sttResult.setAttribute('aria-busy', 'true');
    try {
      let upload = audio;
      if (!ffmpegFound && !readsWithoutFfmpeg(audio)) {
        upload = await toWav(audio);
        name = name.replace(/\.[^.]*$/, '') + '.wav';
      }
      const form = new FormData();
      form.append('file', upload, name);
      form.append('model', 'whisper-1');
      form.append('response_format', 'json');
      const { text } = await api.json('/v1/audio/transcriptions', { method: 'POST', body: form });
      ui.sttResult.textContent = text.trim() || '(no speech was heard)';
    } catch (error) {
      ui.sttResult.textContent = '';
      ui.sttError.textContent = error.name === 'EncodingError'
        ? 'This browser cannot read that file, and Hearsay needs ffmpeg for it: choose a WAV, FLAC, MP3, Ogg or WebM file.'
        : `Transcription failed: ${error.message}`;
    } finally {
      ui.sttResult.removeAttribute('aria-busy');
    }
  }

  async function speak() {
    ui.ttsError.textContent = '';
    const input = ui.ttsText.value.trim();
    if (!input) {
      ui.ttsError.textContent = 'Type some text to speak.';
      ui.ttsText.focus();
      return;
    }
    ui.speak.disabled = true;
    ui.ttsBusy.textContent = 'Speaking…';
    try {
      const response = await api.send('/v1/audio/speech', { model: 'tts-1', voice: 'alloy', input, response_format: 'wav' });
      const wav = await response.blob();
      if (audioUrl) {
        URL.revokeObjectURL(audioUrl);
      }
      audioUrl = URL.createObjectURL(wav);
      ui.ttsAudio.src = audioUrl;
      ui.ttsAudio.hidden = false;
      // A browser may refuse to play without a recent click; the controls are there then.
      ui.ttsAudio.play().catch(() => {});
    } catch (error) {
      ui.ttsError.textContent = `Speech failed: ${error.message}`;
    } finally {
      ui.speak.disabled = false;
      ui.ttsBusy.textContent = '';
    }
  }

  return { render };
}
