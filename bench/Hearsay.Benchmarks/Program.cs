using BenchmarkDotNet.Running;
using Hearsay.Benchmarks;

// speak: end-to-end timing of `speak` with its parts (phonemizer, ONNX Runtime Run, first chunk).
<<<<<<< HEAD
// transcribe: Whisper encoder ms per window, decoder ms per token, audio front end share, peak RSS.
=======
// vad: a full Silero VAD pass over the 107 s joined clip with each model.
>>>>>>> vad
// micro: BenchmarkDotNet on Hearsay's in-process text and audio code.
return args.FirstOrDefault() switch
{
    "speak" => await SpeakBenchmark.RunAsync(args[1..]),
    "vad" => await VadBenchmark.RunAsync(args[1..]),
    "micro" => RunMicro(args[1..]),
    "transcribe" => await TranscribeBenchmark.RunAsync(args[1..]),
    _ => Usage(),
};

static int RunMicro(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(TextPipelineBenchmarks).Assembly).Run(args.Length > 0 ? args : ["--filter", "*"]);
    return 0;
}

static int Usage()
{
<<<<<<< HEAD
    Console.Error.WriteLine("usage: Hearsay.Benchmarks speak [--voice VOICE.onnx] [--iterations N] | transcribe [--model DIR] [--precision Auto|Full|Quantized] [--threads N] [--audio WAV] | micro [BenchmarkDotNet args]");
=======
    Console.Error.WriteLine("usage: Hearsay.Benchmarks speak [--voice VOICE.onnx] [--iterations N] | vad [--iterations N] | micro [BenchmarkDotNet args]");
>>>>>>> vad
    return 2;
}
