using System.Diagnostics;
using Hearsay.Core.Tts.Phonemization;
using Hearsay.Core.Tts.Piper;
using Hearsay.Testing;

namespace Hearsay.Core.IntegrationTests.Tts.Piper;

/// <summary>
/// Hearsay's phonemizer (the espeak-ng program, clause boundaries found in C#) against the reference (espeak-ng's
/// library clause by clause with Piper's rules), on the table in tests/assets/piper/expected-phonemes.json.
/// </summary>
public sealed class PiperPhonemizerTests
{
    private static readonly IReadOnlyList<ExpectedPhonemes> Table = PiperExpectations.Phonemes();
    private static readonly PiperVoiceConfig Lessac = PiperVoiceConfig.Load(TestPaths.SharedFile("piper", "en_US-lessac-medium.onnx.json"));

    public static TheoryData<string> TableCases => [.. Table.Select(c => c.Name)];

    [Fact]
    public void EspeakNg_IsTheVersionTheTableWasMadeWith()
    {
        var program = TestPaths.Program("espeak-ng", "Install it: apt-get install espeak-ng.");
        using var process = Process.Start(new ProcessStartInfo(program, "--version") { RedirectStandardOutput = true })!;
        var version = process.StandardOutput.ReadToEnd();
        process.WaitForExit();

        var expected = PiperExpectations.PhonemeTableEspeakVersion();
        Assert.True(
            version.Contains($"text-to-speech: {expected} ", StringComparison.Ordinal),
            $"expected-phonemes.json was made with espeak-ng {expected}; this machine has: {version.Trim()}. " +
            "Regenerate it with tools/testmodels/generate_phoneme_table.py.");
    }

    [Theory]
    [MemberData(nameof(TableCases))]
    public async Task PhonemizeAsync_TableText_MatchesPiperReference(string name)
    {
        var expected = Table.Single(c => c.Name == name);
        var config = expected.EspeakVoice is { } voice ? Lessac with { EspeakVoice = voice } : Lessac;
        var phonemizer = PiperPhonemizer.Create(config);

        var sentences = await phonemizer.PhonemizeAsync(expected.Text);

        if (expected.KnownDifference == "stress")
        {
            // The espeak-ng program stresses a clause that has no stressed word; the library does not.
            Assert.Equal(expected.Sentences.Select(s => WithoutStress(s.Phonemes)), sentences.Select(s => WithoutStress(s.Phonemes)));
            return;
        }

        Assert.Equal(expected.Sentences.Select(s => s.Phonemes), sentences.Select(s => s.Phonemes));
        Assert.Equal(expected.Sentences.Select(s => s.Ids), sentences.Select(s => s.PhonemeIds.ToArray()));
    }

    [Fact]
    public async Task PhonemizeAsync_NonAsciiText_IsUtf8EndToEnd()
    {
        var sentences = await PiperPhonemizer.Create(Lessac).PhonemizeAsync("Café déjà vu — naïve?");

        var sentence = Assert.Single(sentences);
        Assert.Equal("Café déjà vu — naïve?", sentence.Text);
        Assert.Equal("kæfˈeɪ dˌeɪʒɑː vˈuː; naɪˈiːv?", sentence.Phonemes);
    }

    [Fact]
    public async Task PhonemizeAsync_PhonemesOutsideTheMap_AreSkippedAndLoggedAtDebug()
    {
        var narrowMap = Lessac.PhonemeIdMap.Where(p => p.Key != 'ʊ').ToDictionary();
        var config = Lessac with { PhonemeIdMap = System.Collections.Frozen.FrozenDictionary.ToFrozenDictionary(narrowMap) };
        using var logs = new CapturingLoggerFactory();

        var sentence = Assert.Single(await PiperPhonemizer.Create(config, loggerFactory: logs).PhonemizeAsync("Hello."));

        Assert.Contains('ʊ', sentence.Phonemes);
        // BOS and pad, then every phoneme but 'ʊ' with its pad, then EOS.
        Assert.Equal(2 + ((sentence.Phonemes.Length - 1) * 2) + 1, sentence.PhonemeIds.Count);
        var skipped = Assert.Single(logs.Events, e => e.EventId == 1301);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Debug, skipped.Level);
        Assert.Contains("'ʊ' (U+028A)", skipped.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PhonemizeAsync_EmptyText_ReturnsNoSentencesWithoutRunningEspeak()
    {
        using var folder = new TemporaryDirectory();

        var sentences = await WithFakeEspeak(folder, "exit 9").PhonemizeAsync("  \n ");

        Assert.Empty(sentences);
    }

    [Fact]
    public void Create_EspeakNgMissing_SaysTtsUnavailable()
    {
        using var folder = new TemporaryDirectory();

        var error = Assert.Throws<DependencyUnavailableException>(() =>
            PiperPhonemizer.Create(Lessac, new PhonemizerOptions { EspeakNgPath = folder.File("espeak-ng") }));

        Assert.StartsWith("TTS unavailable: espeak-ng not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PhonemizeAsync_UnknownEspeakVoice_ReportsEspeakError()
    {
        var phonemizer = PiperPhonemizer.Create(Lessac with { EspeakVoice = "xx-nowhere" });

        var error = await Assert.ThrowsAsync<HearsayException>(() => phonemizer.PhonemizeAsync("Hello."));

        Assert.Equal(HearsayErrorCode.DependencyFailed, error.Code);
        Assert.Equal("espeak-ng failed for voice 'xx-nowhere': Error: The specified espeak-ng voice does not exist.", error.Message);
    }

    [Fact]
    public async Task PhonemizeAsync_EspeakHangs_TimesOutAndKillsIt()
    {
        using var folder = new TemporaryDirectory();
        var phonemizer = WithFakeEspeak(folder, "sleep 30", TimeSpan.FromMilliseconds(300));
        var stopwatch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<HearsayException>(() => phonemizer.PhonemizeAsync("Hello."));

        Assert.Equal("espeak-ng did not finish within 0.3 s.", error.Message);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task PhonemizeAsync_Cancelled_StopsEspeakPromptly()
    {
        using var folder = new TemporaryDirectory();
        var phonemizer = WithFakeEspeak(folder, "sleep 30");
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var stopwatch = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => phonemizer.PhonemizeAsync("Hello.", cancellation.Token));

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task PhonemizeAsync_EspeakCrashes_ReportsItsFirstErrorLine()
    {
        using var folder = new TemporaryDirectory();
        var phonemizer = WithFakeEspeak(folder, "cat >/dev/null; echo 'segfault-ish failure' >&2; echo more >&2; exit 3");

        var error = await Assert.ThrowsAsync<HearsayException>(() => phonemizer.PhonemizeAsync("Hello."));

        Assert.Equal("espeak-ng failed for voice 'en-us': segfault-ish failure", error.Message);
    }

    /// <summary>A phonemizer whose espeak-ng is a shell script running <paramref name="script"/>.</summary>
    private static PiperPhonemizer WithFakeEspeak(TemporaryDirectory folder, string script, TimeSpan? timeout = null) =>
        PiperPhonemizer.Create(Lessac, new PhonemizerOptions
        {
            EspeakNgPath = FakeProgram.Create(folder, "espeak-ng", script),
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
        });

    private static string WithoutStress(string phonemes) => phonemes.Replace("ˈ", "", StringComparison.Ordinal).Replace("ˌ", "", StringComparison.Ordinal);
}
