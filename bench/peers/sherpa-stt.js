// sherpa-onnx's offline Whisper recognizer on one WAV file, as a whole process: the peer of `hearsay transcribe`.
// usage: node sherpa-stt.js ENCODER DECODER TOKENS WAV THREADS
// Prints one JSON line: load and decode times (ms) and the number of decoded tokens.
'use strict';
const sherpa = require('sherpa-onnx-node');

const [encoder, decoder, tokens, wav, threads] = process.argv.slice(2);
const started = process.hrtime.bigint();
const recognizer = new sherpa.OfflineRecognizer({
  featConfig: {sampleRate: 16000, featureDim: 80},
  modelConfig: {whisper: {encoder, decoder}, tokens, numThreads: Number(threads), provider: 'cpu', debug: 0},
});
const loaded = process.hrtime.bigint();
const wave = sherpa.readWave(wav);
const stream = recognizer.createStream();
stream.acceptWaveform({samples: wave.samples, sampleRate: wave.sampleRate});
recognizer.decode(stream);
const result = recognizer.getResult(stream);
const decoded = process.hrtime.bigint();
console.log(JSON.stringify({
  loadMs: Number(loaded - started) / 1e6,
  decodeMs: Number(decoded - loaded) / 1e6,
  tokens: result.tokens.length,
}));
