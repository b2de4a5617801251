// sherpa-onnx's offline TTS (a Piper voice as its "vits" model) on one text, repeated: the peer of Hearsay's speak.
// usage: node sherpa-tts.js MODEL_DIR ESPEAK_NG_DATA THREADS WARMUPS ITERATIONS NOISE_SCALE NOISE_W LENGTH_SCALE TEXT
// MODEL_DIR holds model.onnx and tokens.txt (tools/testmodels/piper_sherpa.py). Prints one JSON line per timed
// iteration: the total and the first audio (the first sentence's callback, as generateAsync streams), in ms.
'use strict';
const sherpa = require('sherpa-onnx-node');

const [modelDir, dataDir, threads, warmUps, iterations, noiseScale, noiseScaleW, lengthScale, text] = process.argv.slice(2);
const tts = new sherpa.OfflineTts({
  model: {
    vits: {
      model: `${modelDir}/model.onnx`,
      tokens: `${modelDir}/tokens.txt`,
      dataDir,
      noiseScale: Number(noiseScale),
      noiseScaleW: Number(noiseScaleW),
      lengthScale: Number(lengthScale),
    },
    numThreads: Number(threads),
    provider: 'cpu',
    debug: 0,
  },
  // One sentence per callback, so the first audio is the first sentence's.
  maxNumSentences: 1,
});

async function speakOnce() {
  const started = process.hrtime.bigint();
  let first = null;
  let chunks = 0;
  const audio = await tts.generateAsync({
    text,
    sid: 0,
    speed: 1.0,
    onProgress: () => {
      first ??= process.hrtime.bigint();
      chunks++;
      return 1;
    },
  });
  const ended = process.hrtime.bigint();
  return {totalMs: Number(ended - started) / 1e6, firstMs: Number(first - started) / 1e6, chunks, samples: audio.samples.length};
}

(async () => {
  for (let i = 0; i < Number(warmUps); i++) {
    await speakOnce();
  }
  for (let i = 0; i < Number(iterations); i++) {
    console.log(JSON.stringify(await speakOnce()));
  }
})();
