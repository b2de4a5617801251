// 16-bit mono WAV, which Hearsay reads without ffmpeg.

/** Encodes mono float samples (-1..1) as a 16-bit PCM WAV blob. */
export function encodeWav(samples, sampleRate) {
  const dataBytes = samples.length * 2;
  const view = new DataView(new ArrayBuffer(44 + dataBytes));
  const ascii = (offset, text) => [...text].forEach((char, i) => view.setUint8(offset + i, char.charCodeAt(0)));
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true); // fmt chunk size
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true); // bytes per second
  view.setUint16(32, 2, true); // bytes per frame
  view.setUint16(34, 16, true); // bits per sample
  ascii(36, 'data');
  view.setUint32(40, dataBytes, true);
  for (let i = 0; i < samples.length; i++) {
    const sample = Math.max(-1, Math.min(1, samples[i]));
    view.setInt16(44 + i * 2, sample < 0 ? sample * 0x8000 : sample * 0x7fff, true);
  }
  return new Blob([view.buffer], { type: 'audio/wav' });
}

/** Decodes any audio the browser can play into a mono WAV: uploads need no ffmpeg on the server then. */
export async function toWav(blob) {
  const context = new OfflineAudioContext(1, 1, 16000);
  const audio = await context.decodeAudioData(await blob.arrayBuffer());
  const mono = new Float32Array(audio.length);
  for (let channel = 0; channel < audio.numberOfChannels; channel++) {
    const data = audio.getChannelData(channel);
    for (let i = 0; i < mono.length; i++) {
      mono[i] += data[i] / audio.numberOfChannels;
    }
  }
  return encodeWav(mono, audio.sampleRate);
}

/**
 * True for what Hearsay decodes itself (WAV, FLAC, MP3, and Opus or Vorbis in Ogg or WebM), judged by type or name:
 * such a file goes up as it is.
 */
export function readsWithoutFfmpeg(file) {
  return /^audio\/(x-|vnd\.)?(wave?|flac|mpeg|mp3|ogg|opus|webm)(;.*)?$/.test(file.type) || /\.(wav|flac|mp3|ogg|oga|opus|webm)$/i.test(file.name ?? '');
}
