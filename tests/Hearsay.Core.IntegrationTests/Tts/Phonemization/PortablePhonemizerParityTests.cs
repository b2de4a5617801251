using Hearsay.Core.Tts.Phonemization;
using Hearsay.Core.Tts.Phonemization.Portable;
using Hearsay.Testing;

namespace Hearsay.Core.IntegrationTests.Tts.Phonemization;

/// <summary>
/// The portable phonemizer (espeak-ng 1.51 for WebAssembly in its worker) against the native espeak-ng 1.51 program,
/// text by text: every line must be the same bytes. Any difference fails.
/// </summary>
public sealed class PortablePhonemizerParityTests : IDisposable
{
    private readonly PortableEspeakNgRunner _portable = PortablePhonemizer.Create();
    private readonly EspeakNgRunner _native = PortablePhonemizer.Native();

    public static TheoryData<string, string> Languages => new()
    {
        { "de", "Guten Morgen! Wie geht es Ihnen heute? Die Straße ist 12,5 km lang, und Österreich liegt südlich." },
        { "de", "Zwölf Boxkämpfer jagen Viktor quer über den großen Sylter Deich; am 3. Mai 2024 um 17:45 Uhr." },
        { "fr-fr", "Bonjour tout le monde ! Où est la bibliothèque ? L'été dernier, nous avons payé 1 234,56 €." },
        { "fr-fr", "Portez ce vieux whisky au juge blond qui fume ; « Ça va ? », demanda-t-il à l'élève." },
        { "es", "¿Dónde está la estación? ¡Qué día tan bonito! El niño comió 25 empanadas en el año 1999." },
        { "es", "El veloz murciélago hindú comía feliz cardillo y kiwi; la cigüeña tocaba el saxofón." },
        { "en-us", "Dr. Smith paid $3.50 on 12/25/2023 at 10:30 a.m.; e.g. the U.S.A. isn't the U.K., is it?" },
        { "en-gb", "The colour of the theatre's programme was grey, whilst the lorry's tyres were worn." },
    };

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task PhonemizeAsync_Language_SameBytesAsNative(string voice, string text) =>
        await AssertSameAsync(voice, text);

    [Fact]
    public async Task PhonemizeAsync_PhonemeTable_SameBytesAsNative()
    {
        foreach (var expected in PiperExpectations.Phonemes())
        {
            await AssertSameAsync(expected.EspeakVoice ?? "en-us", expected.Text);
        }
    }

    [Fact]
    public async Task PhonemizeAsync_RealTranscripts_SameBytesAsNative()
    {
        var transcripts = File.ReadAllLines(TestPaths.SharedFile("audio", "transcripts.tsv"))
            .Select(line => line.Split('\t'))
            .Where(fields => fields.Length == 2)
            .ToList();
        Assert.True(transcripts.Count >= 70, $"expected the 76 transcripts, read {transcripts.Count}");

        foreach (var fields in transcripts)
        {
            await AssertSameAsync("en-us", fields[1]);
        }
    }

    public static TheoryData<string> HostileTexts => new()
    {
        "[[h@l'oU]] [[ [[[[ ]] ]]",
        "Bell\u0007 escape\u001b[31m red\u0000 null\u0008 back\u007f delete\u0085 next line",
        "Emoji 😀👍🏽👨‍👩‍👧‍👦 and flags 🇩🇪🇫🇷, with ZWJ\u200d and BOM\ufeff.",
        "עברית מימין לשמאל, العربية من اليمين إلى اليسار, mixed with English \u202etxet desrever\u202c.",
        "<speak>not SSML</speak> & amp; \\ backslash \" quote ' apostrophe",
        string.Concat(Enumerable.Repeat("A long sentence without end that keeps going and going ", 200)),
    };

    /// <summary>Hostile text, as Hearsay sends it (neutralized) and as it is: answered exactly as native espeak-ng answers.</summary>
    [Theory]
    [MemberData(nameof(HostileTexts))]
    public async Task PhonemizeAsync_HostileText_SameBytesAsNative(string text)
    {
        Assert.True(text.Length < 100 || text.Length >= 10_000, "the long text must be at least 10,000 characters");
        await AssertSameAsync("en-us", ClauseSplitter.ToEspeakInput(text));
        await AssertSameAsync("en-us", text.Replace("\0", " ", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        _portable.Dispose();
        _native.Dispose();
    }

    private async Task AssertSameAsync(string voice, string text)
    {
        var native = await _native.PhonemizeAsync(voice, text, CancellationToken.None);
        var portable = await _portable.PhonemizeAsync(voice, text, CancellationToken.None);
        Assert.True(native.SequenceEqual(portable, StringComparer.Ordinal),
            $"voice {voice}, text '{text}':\n native:   {string.Join(" | ", native)}\n portable: {string.Join(" | ", portable)}");
    }
}
