using System.Text;

namespace Hearsay.Core.Text;

/// <summary>
/// Unicode Normalization Form D without ICU: canonical decomposition, then canonical ordering of combining marks.
/// Hearsay runs with invariant globalization, where <see cref="string.Normalize(NormalizationForm)"/> leaves
/// non-ASCII text unchanged, yet Piper's phoneme ids depend on NFD ("ç" is "c" + U+0327).
/// </summary>
internal static partial class UnicodeNfd
{
    private const int HangulBase = 0xAC00;
    private const int HangulCount = 11172;
    private const int LeadingBase = 0x1100;
    private const int VowelBase = 0x1161;
    private const int TrailingBase = 0x11A7;
    private const int VowelCount = 21;
    private const int TrailingCount = 28;

    /// <summary>Returns <paramref name="text"/> in NFD; the same instance when it is already decomposed ASCII-range text.</summary>
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (IsTriviallyDecomposed(text))
        {
            return text;
        }

        var codePoints = new List<int>(text.Length + 8);
        foreach (var rune in text.EnumerateRunes())
        {
            Decompose(rune.Value, codePoints);
        }

        ReorderCombiningMarks(codePoints);
        var builder = new StringBuilder(codePoints.Count);
        foreach (var codePoint in codePoints)
        {
            builder.Append(new Rune(codePoint).ToString());
        }

        return builder.ToString();
    }

    /// <summary>The canonical combining class of a code point (0 for starters).</summary>
    public static int CombiningClass(int codePoint)
    {
        var index = CombiningCodePoints.BinarySearch(codePoint);
        return index >= 0 ? CombiningClasses[index] : 0;
    }

    /// <summary>Nothing below U+00C0 decomposes or combines.</summary>
    private static bool IsTriviallyDecomposed(string text)
    {
        foreach (var c in text)
        {
            if (c >= '\u00C0')
            {
                return false;
            }
        }

        return true;
    }

    private static void Decompose(int codePoint, List<int> output)
    {
        if (codePoint - HangulBase is >= 0 and < HangulCount and var offset)
        {
            output.Add(LeadingBase + (offset / (VowelCount * TrailingCount)));
            output.Add(VowelBase + (offset % (VowelCount * TrailingCount) / TrailingCount));
            if (offset % TrailingCount is > 0 and var trailing)
            {
                output.Add(TrailingBase + trailing);
            }

            return;
        }

        var index = DecomposedCodePoints.BinarySearch(codePoint);
        if (index < 0)
        {
            output.Add(codePoint);
            return;
        }

        foreach (var part in Decompositions[DecompositionStarts[index]..DecompositionStarts[index + 1]])
        {
            output.Add(part);
        }
    }

    /// <summary>Sorts each run of combining marks by combining class, keeping equal classes in order (stable).</summary>
    private static void ReorderCombiningMarks(List<int> codePoints)
    {
        for (var i = 1; i < codePoints.Count; i++)
        {
            var current = codePoints[i];
            var currentClass = CombiningClass(current);
            if (currentClass == 0)
            {
                continue;
            }

            var j = i;
            while (j > 0 && CombiningClass(codePoints[j - 1]) > currentClass)
            {
                codePoints[j] = codePoints[j - 1];
                j--;
            }

            codePoints[j] = current;
        }
    }
}
