using System.Globalization;
using System.Text;
using Hearsay.Core.Text;

namespace Hearsay.Core.Tests.Text;

/// <summary>
/// Checks Hearsay's own NFD against ICU's (this test project runs with ICU; Hearsay itself runs without it).
/// </summary>
public sealed class UnicodeNfdTests
{
    [Fact]
    public void Normalize_RunsWithIcuAsReference()
    {
        Assert.True(
            "\u00e7".Normalize(NormalizationForm.FormD) == "c\u0327",
            "These tests compare with ICU, which this process lacks: install libicu (apt-get install libicu-dev) and " +
            "do not set DOTNET_SYSTEM_GLOBALIZATION_INVARIANT.");
    }

    [Fact]
    public void Normalize_EveryAssignedCodePoint_MatchesIcu()
    {
        var differences = new List<string>();
        for (var codePoint = 0; codePoint <= 0x10FFFF; codePoint++)
        {
            if (codePoint is >= 0xD800 and <= 0xDFFF)
            {
                continue;
            }

            var text = char.ConvertFromUtf32(codePoint);
            if (CharUnicodeInfo.GetUnicodeCategory(codePoint) == UnicodeCategory.OtherNotAssigned)
            {
                continue;
            }

            var expected = text.Normalize(NormalizationForm.FormD);
            if (UnicodeNfd.Normalize(text) != expected)
            {
                differences.Add($"U+{codePoint:X4}");
            }
        }

        Assert.Empty(differences);
    }

    [Theory]
    [InlineData("kæfˈeɪ dˌeɪʒɑː")]
    [InlineData("Ångström façade crème brûlée jalapeño")]
    [InlineData("a\u0301\u0327 e\u0323\u0302 o\u031b\u0309\u0323")]
    [InlineData("ễ ậ ṩ ǻ ǖ")]
    [InlineData("한국어 텍스트")]
    [InlineData("𝄞 😀 plain ascii")]
    public void Normalize_MixedText_MatchesIcu(string text)
    {
        Assert.Equal(text.Normalize(NormalizationForm.FormD), UnicodeNfd.Normalize(text));
    }

    [Fact]
    public void Normalize_AsciiText_ReturnsSameInstance()
    {
        const string text = "hello, world.";

        Assert.Same(text, UnicodeNfd.Normalize(text));
    }
}
