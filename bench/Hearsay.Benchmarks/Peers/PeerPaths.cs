using System.Diagnostics;
using System.Text.RegularExpressions;
using Hearsay.Testing;

namespace Hearsay.Benchmarks.Peers;

/// <summary>
/// Where the peers benchmark finds everything bench/peers/prepare.sh makes (all git-ignored): whisper.cpp's build,
/// sherpa-onnx's node_modules, and the models converted for each engine from the same random real-dimension weights.
/// </summary>
internal sealed partial record PeerPaths(
    string ModelName,
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
    public static PeerPaths Resolve(string modelName, string? whisperCli)
    {
        var repo = TestPaths.RepoRoot;
        var models = Path.Combine(repo, "bench", "models");
        var peers = Path.Combine(repo, "bench", "peers");
        var whisperModel = Path.Combine(models, modelName);
        var voice = Path.Combine(models, "piper-medium-dims", "voice.onnx");
        return new PeerPaths(
            modelName,
            whisperModel,
            Path.Combine(whisperModel, $"ggml-{modelName}.bin"),
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

    /// <summary>The fp32 files, which Hearsay's default precision (Auto) picks when they exist.</summary>
    public string Encoder => Path.Combine(WhisperModel, $"{ModelName}-encoder.onnx");

    public string Decoder => Path.Combine(WhisperModel, $"{ModelName}-decoder.onnx");

    public string Tokens => Path.Combine(WhisperModel, $"{ModelName}-tokens.txt");

    public string SherpaModules => Path.Combine(PeersDirectory, "node_modules", "sherpa-onnx-node");

    /// <summary>What is missing for each side, with the command that makes it; empty when everything is there.</summary>
    public IEnumerable<string> MissingForHearsay()
    {
        if (!File.Exists(Encoder))
        {
            yield return $"{Encoder} (/usr/bin/python3 tools/testmodels/whisper_model.py --real-dims {ModelName})";
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
            yield return $"{WhisperCli} (bench/peers/prepare.sh --whisper-cpp SOURCE)";
        }

        if (!File.Exists(Ggml))
        {
            yield return $"{Ggml} (/usr/bin/python3 tools/testmodels/whisper_ggml.py --real-dims {ModelName})";
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
