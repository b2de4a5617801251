using System.Numerics;
using System.Runtime.InteropServices;

namespace Hearsay.Core.Audio.Input.Mp3;

/// <summary>
/// The inverse MDCTs of Layer III (ISO/IEC 11172-3 §2.4.3.4.10): 18 lines to 36 windowed samples for a long block, or
/// three 6-line windows to 12 samples each for a short block, placed at 6, 12 and 18. Each runs as a DCT-IV of half its
/// size, whose output the IMDCT's symmetries unfold, so a long block costs 18 × 18 products instead of 36 × 18, and
/// those run as vector multiply-adds over the kernel's rows.
/// </summary>
internal static class Layer3Imdct
{
    // The long DCT-IV's rows padded to whole vectors, so each input line adds its row in a few vector operations.
    private static readonly int Stride = (18 + Vector<float>.Count - 1) / Vector<float>.Count * Vector<float>.Count;

    // DCT-IV kernels: cos(π/N (n + ½)(k + ½)), [k × stride + n].
    private static readonly float[] Dct18 = DctIv(18, Stride);
    private static readonly float[] Dct6 = DctIv(6, 6);

    // Windows (§2.4.3.4.10.3) by block type: 0 normal, 1 start, 3 stop, 36 samples; 2 short, 12 samples.
    private static readonly float[][] LongWindows = [LongWindow(0), LongWindow(1), [], LongWindow(3)];
    private static readonly float[] ShortWindow = [.. Enumerable.Range(0, 12).Select(i => (float)Math.Sin(Math.PI / 12 * (i + 0.5)))];

    /// <summary>Adds the windowed IMDCT of one subband's 18 lines in <paramref name="blockType"/> to <paramref name="output"/> (36).</summary>
    public static void AddSubband(ReadOnlySpan<float> lines, int blockType, Span<float> output)
    {
        if (blockType == 2)
        {
            AddShort(lines, output);
        }
        else
        {
            AddLong(lines, LongWindows[blockType], output);
        }
    }

    private static void AddLong(ReadOnlySpan<float> lines, float[] window, Span<float> output)
    {
        Span<float> d = stackalloc float[Stride];
        d.Clear();
        var sums = MemoryMarshal.Cast<float, Vector<float>>(d);
        for (var k = 0; k < 18; k++)
        {
            if (lines[k] != 0f)
            {
                var value = new Vector<float>(lines[k]);
                var row = MemoryMarshal.Cast<float, Vector<float>>(Dct18.AsSpan(k * Stride, Stride));
                for (var j = 0; j < sums.Length; j++)
                {
                    sums[j] += value * row[j];
                }
            }
        }

        AddUnfolded(d[..18], window, output);
    }

    private static void AddShort(ReadOnlySpan<float> lines, Span<float> output)
    {
        // After reordering, window w's six lines are at w, w + 3, ..., w + 15.
        Span<float> input = stackalloc float[6];
        Span<float> d = stackalloc float[6];
        for (var window = 0; window < 3; window++)
        {
            for (var k = 0; k < 6; k++)
            {
                input[k] = lines[(3 * k) + window];
            }

            DctIv6(input, d);
            AddUnfolded(d, ShortWindow, output.Slice(6 + (6 * window), 12));
        }
    }

    /// <summary>
    /// Adds the windowed IMDCT output (2N samples) unfolded from its DCT-IV <paramref name="d"/> (N = 18 or 6):
    /// x[i] = d[i + N/2] below N/2, −d[3N/2 − 1 − i] up to 3N/2, −d[i − 3N/2] above.
    /// </summary>
    private static void AddUnfolded(ReadOnlySpan<float> d, ReadOnlySpan<float> window, Span<float> output)
    {
        var half = d.Length / 2;
        var threeHalves = 3 * half;
        for (var i = 0; i < half; i++)
        {
            output[i] += d[i + half] * window[i];
            output[threeHalves + i] -= d[i] * window[threeHalves + i];
        }

        for (var i = half; i < threeHalves; i++)
        {
            output[i] -= d[threeHalves - 1 - i] * window[i];
        }
    }

    private static void DctIv6(ReadOnlySpan<float> input, Span<float> output)
    {
        output.Clear();
        for (var k = 0; k < 6; k++)
        {
            var value = input[k];
            var row = Dct6.AsSpan(k * 6, 6);
            for (var i = 0; i < 6; i++)
            {
                output[i] += value * row[i];
            }
        }
    }

    private static float[] DctIv(int n, int stride)
    {
        var kernel = new float[n * stride];
        for (var k = 0; k < n; k++)
        {
            for (var i = 0; i < n; i++)
            {
                kernel[(k * stride) + i] = (float)Math.Cos(Math.PI / n * (i + 0.5) * (k + 0.5));
            }
        }

        return kernel;
    }

    private static float[] LongWindow(int blockType)
    {
        var window = new float[36];
        for (var i = 0; i < 36; i++)
        {
            var normal = Math.Sin(Math.PI / 36 * (i + 0.5));
            window[i] = (float)(blockType switch
            {
                0 => normal,
                1 => i < 18 ? normal : i < 24 ? 1 : i < 30 ? Math.Sin(Math.PI / 12 * (i - 18 + 0.5)) : 0,
                _ => i < 6 ? 0 : i < 12 ? Math.Sin(Math.PI / 12 * (i - 6 + 0.5)) : i < 18 ? 1 : normal,
            });
        }

        return window;
    }
}
