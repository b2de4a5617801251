using BenchmarkDotNet.Running;
using Hearsay.Benchmarks;
using Hearsay.Benchmarks.Peers;

// speak: end-to-end timing of `speak` with its parts (phonemizer, ONNX Runtime Run, first chunk); --phonemizer
//        portable|native picks the phonemizer, --threads N and --spin the voice's threads.
// phonemizer: the portable phonemizer against native espeak-ng per sentence, the worker's start and memory.
// speak-memory: the server's peak RSS for a long sentence without a full stop against a 300-character one.
// transcribe: Whisper encoder ms per window, decoder ms per token, audio front end share, peak RSS.
// words: what word timestamps add to a transcription's windows (goal: at most 15 %).
// whisper-memory: resident memory and managed heap after each stage of a Whisper load and its first windows.
// logmel: one 30 s window of Whisper features, alone.
// prompt: encoding a Whisper prompt on hostile texts of growing length (the BPE merge must stay near-linear).
// vad: a full Silero VAD pass over the 107 s joined clip with each model.
// serve: the sidecar: spawn to ready line, what HTTP adds, first audio byte, a soak with concurrent clients;
//        --only probe: the adversarial load cases (bursts, slow clients, hostile inputs) with statuses and RSS.
// dictate: one live dictation session in real time: latency from an utterance's end to its transcript beside the
//          engine's time, the gaps between interim results, the server's CPU while nobody speaks, its memory.
// ship: what an app bundles: published size per platform, cold start of the linux binary, first run to ready.
// audio-limit: what the maximum audio duration costs (measuring an mp3 before decoding it) and saves (refusals).
// decode: the in-process decoders (WebM, Ogg, MP3, FLAC) against an ffmpeg process on the same files, interleaved.
// peers: Hearsay beside whisper.cpp and sherpa-onnx, every figure of issue 16's table (bench/peers/run.sh prepares
//        the peers and runs it), beside the previous run's in bench/peers/results/MODEL[-int8].json, which it then replaces
//        unless --no-save; peers-speak, peers-ort and peers-transcribe are its child processes.
// micro: BenchmarkDotNet on Hearsay's in-process text and audio code.
return args.FirstOrDefault() switch
{
    "speak" => await SpeakBenchmark.RunAsync(args[1..]),
    "phonemizer" => await PhonemizerBenchmark.RunAsync(args[1..]),
    "speak-memory" => await SpeakMemoryBenchmark.RunAsync(args[1..]),
    "transcribe" => await TranscribeBenchmark.RunAsync(args[1..]),
    "words" => await WordsBenchmark.RunAsync(args[1..]),
    "whisper-memory" => await WhisperMemoryBenchmark.RunAsync(args[1..]),
    "logmel" => await TranscribeBenchmark.RunLogMelAsync(args[1..]),
    "prompt" => PromptBenchmark.Run(args[1..]),
    "vad" => await VadBenchmark.RunAsync(args[1..]),
    "serve" => await ServeBenchmark.RunAsync(args[1..]),
    "dictate" => await DictateBenchmark.RunAsync(args[1..]),
    "ship" => await ShipBenchmark.RunAsync(args[1..]),
    "audio-limit" => await AudioLimitBenchmark.RunAsync(args[1..]),
    "decode" => await DecodeBenchmark.RunAsync(args[1..]),
    "peers" => await PeersBenchmark.RunAsync(args[1..]),
    "peers-speak" => await HearsaySpeakTimes.RunAsync(args[1..]),
    "peers-ort" => RawOrtEncoder.Run(args[1..]),
    "peers-transcribe" => await HearsayCappedTranscribe.RunAsync(args[1..]),
    "micro" => RunMicro(args[1..]),
    _ => Usage(),
};

static int RunMicro(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(TextPipelineBenchmarks).Assembly).Run(args.Length > 0 ? args : ["--filter", "*"]);
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine(
        "usage: Hearsay.Benchmarks speak [--voice VOICE.onnx] [--iterations N] [--phonemizer portable|native] [--threads N] [--spin]\n" +
        "     | phonemizer [--starts N] [--published DIR (a folder eng/publish.sh wrote)]\n" +
        "     | speak-memory [--voice VOICE.onnx] [--characters 4096] [--slow-characters N] [--cli DLL] [--before DLL] [--cases 0,2] [--skip-before 3,5]\n" +
        "     | transcribe [--model DIR] [--precision Auto|Full|Quantized] [--decoder Auto|Hearsay|OnnxRuntime] [--threads N] [--spin] [--audio WAV]\n" +
        "     | words [--model DIR] [--precision Auto|Full|Quantized] [--threads N] [--rounds 3] [--audio WAV]\n" +
        "     | whisper-memory [--model DIR] [--threads N]\n" +
        "     | logmel [--mels 80|128]\n" +
        "     | prompt [--largest 200000] [--iterations 3]\n" +
        "     | vad [--iterations N]\n" +
        "     | serve [--stt-model DIR] [--voice VOICE.onnx] [--soak-seconds 300] [--clients 4] [--spawns 10] [--iterations 10] [--only spawn|overhead|soak|probe]\n" +
        "             [--published BINARY (default " + ServeBenchmark.PublishedBinary + ", from: " + ServeBenchmark.PublishCommand + ")]\n" +
        "     | dictate [--model DIR] [--threads 2] [--silent-seconds 60]\n" +
        "     | ship [--spawns 10] [--no-publish]\n" +
        "     | audio-limit [--minutes 60]\n" +
        "     | decode [--iterations 10]\n" +
        "     | peers [--rounds 3] [--model tiny.en|base.en] [--precision fp32|int8] [--whisper-cli PATH] [--no-save] (bench/peers/run.sh --whisper-cpp SOURCE prepares and runs it)\n" +
        "     | micro [BenchmarkDotNet args]");
    return 2;
}
