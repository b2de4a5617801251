using System.Diagnostics;
using System.Text.RegularExpressions;
using Hearsay.Testing;

namespace Hearsay.Benchmarks.Peers;

/// <summary>
/// Where the peers benchmark finds everything bench/peers/run.sh makes (all git-ignored): whisper.cpp's build,
/// sherpa-onnx's node_modules, and the models converted for each engine from the same random real-dimension weights.
/// At int8, Hearsay and sherpa-onnx read the int8 ONNX files (what the catalog installs for every English model) and
/// whisper.cpp a q8_0 file its own quantize tool made from the same f16 weights: the same bytes per weight for each.
/// </summary>
internal sealed partial record PeerPaths(
    string ModelName,
    bool Int8,
    string WhisperModel,
    string Ggml,
    string WhisperCli,
    string PeersDirectory,
    string Voice,
    string SherpaVoice,
    string? EspeakNgData,
    string CliDll,
    string BenchDll,
    string LongClip,
    string ShortClip)
{
    public static PeerPaths Resolve(string modelName, bool int8, string? whisperCli)
    {
        var repo = TestPaths.RepoRoot;
        var models = Path.Combine(repo, "bench", "models");
        var peers = Path.Combine(repo, "bench", "peers");
        var weights = Path.Combine(models, modelName);
        var voice = Path.Combine(models, "piper-medium-dims", "voice.onnx");
        return new PeerPaths(
            modelName,
            int8,
            int8 ? Path.Combine(weights, "int8") : weights,
            Path.Combine(weights, int8 ? $"ggml-{modelName}-q8_0.bin" : $"ggml-{modelName}.bin"),
            whisperCli ?? Path.Combine(peers, "build", "whisper.cpp", "bin", "whisper-cli"),
            peers,
            voice,
            Path.Combine(Path.GetDirectoryName(voice)!, "sherpa-onnx"),
            FindEspeakNgData(),
            Path.Combine(repo, "artifacts", "bin", "Hearsay.Cli", "release", "hearsay.dll"),
            typeof(PeerPaths).Assembly.Location,
            TestPaths.SharedFile("audio", "wav16k", "long_lj_LJ001-0001_to_0015.wav"),
            TestPaths.SharedFile("audio", "wav16k", "jfk.wav"));
    }

    /// <summary>The model and its precision, as the figures name them.</summary>
    public string Label => Int8 ? $"{ModelName} int8" : ModelName;

    /// <summary>The name of the committed results file for this model and precision (<c>bench/peers/results/NAME.json</c>).</summary>
    public string ResultsName => Int8 ? $"{ModelName}-int8" : ModelName;

    /// <summary>
    /// The files Hearsay's default precision (Auto) picks in <see cref="WhisperModel"/>: fp32 beside int8, or int8 in
    /// the folder that holds only those, as the catalog installs them.
    /// </summary>
    public string Encoder => Path.Combine(WhisperModel, Int8 ? $"{ModelName}-encoder.int8.onnx" : $"{ModelName}-encoder.onnx");

    public string Decoder => Path.Combine(WhisperModel, Int8 ? $"{ModelName}-decoder.int8.onnx" : $"{ModelName}-decoder.onnx");

    public string Tokens => Path.Combine(WhisperModel, $"{ModelName}-tokens.txt");

    public string SherpaModules => Path.Combine(PeersDirectory, "node_modules", "sherpa-onnx-node");

    /// <summary>What is missing for each side, with the command that makes it; empty when everything is there.</summary>
    public IEnumerable<string> MissingForHearsay()
    {
        if (!File.Exists(Encoder))
        {
            yield return $"{Encoder} (bench/peers/run.sh makes it)";
        }

        if (!File.Exists(Voice))
        {
            yield return $"{Voice} (/usr/bin/python3 tools/testmodels/piper_real_dims.py)";
        }

        if (!File.Exists(CliDll))
        {
            yield return $"{CliDll} (dotnet build bench/Hearsay.Benchmarks -c Release)";
        }
    }

    public IEnumerable<string> MissingForWhisperCpp()
    {
        if (!File.Exists(WhisperCli))
        {
            yield return $"{WhisperCli} (bench/peers/run.sh --whisper-cpp SOURCE)";
        }

        if (!File.Exists(Ggml))
        {
            yield return $"{Ggml} (bench/peers/run.sh makes it)";
        }
    }

    public IEnumerable<string> MissingForSherpaOnnx()
    {
        if (!Directory.Exists(SherpaModules))
        {
            yield return $"{SherpaModules} (npm ci --prefix bench/peers)";
        }

        if (!File.Exists(Path.Combine(SherpaVoice, "model.onnx")))
        {
            yield return $"{SherpaVoice} (/usr/bin/python3 tools/testmodels/piper_sherpa.py)";
        }

        if (EspeakNgData is null)
        {
            yield return "espeak-ng's data folder (espeak-ng --version names it; install espeak-ng)";
        }
    }

    /// <summary>The data folder the installed espeak-ng reads ("Data at: ..." in its version line), which sherpa-onnx needs too.</summary>
    private static string? FindEspeakNgData()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("espeak-ng", "--version") { RedirectStandardOutput = true, UseShellExecute = false });
            var line = process?.StandardOutput.ReadToEnd() ?? "";
            process?.WaitForExit();
            var match = DataAt().Match(line);
            return match.Success && Directory.Exists(match.Groups[1].Value.Trim()) ? match.Groups[1].Value.Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    [GeneratedRegex(@"Data at:\s*(\S+)")]
    private static partial Regex DataAt();
}
