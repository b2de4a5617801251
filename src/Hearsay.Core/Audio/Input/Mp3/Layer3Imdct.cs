namespace Hearsay.Core.Audio.Input.Mp3;

/// <summary>
/// The inverse MDCTs of Layer III (ISO/IEC 11172-3 §2.4.3.4.10): 18 lines to 36 windowed samples for a long block, or
/// three 6-line windows to 12 samples each for a short block, placed at 6, 12 and 18. Each runs as a DCT-IV of half its
/// size, whose output the IMDCT's symmetries unfold, so a long block costs 18 × 18 products instead of 36 × 18.
/// </summary>
internal static class Layer3Imdct
{
    // DCT-IV kernels: cos(π/N (n + ½)(k + ½)), [k × N + n].
    private static readonly float[] Dct18 = DctIv(18);
    private static readonly float[] Dct6 = DctIv(6);

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
        Span<float> d = stackalloc float[18];
        DctIv(lines, Dct18, d);

        // x[i] = d[i + 9] for i < 9, −d[26 − i] for 9 ≤ i < 27, −d[i − 27] above.
        for (var i = 0; i < 9; i++)
        {
            output[i] += d[i + 9] * window[i];
            output[27 + i] -= d[i] * window[27 + i];
        }

        for (var i = 9; i < 27; i++)
        {
            output[i] -= d[26 - i] * window[i];
        }
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

            DctIv(input, Dct6, d);
            var at = output.Slice(6 + (6 * window), 12);
            for (var i = 0; i < 3; i++)
            {
                at[i] += d[i + 3] * ShortWindow[i];
                at[9 + i] -= d[i] * ShortWindow[9 + i];
            }

            for (var i = 3; i < 9; i++)
            {
                at[i] -= d[8 - i] * ShortWindow[i];
            }
        }
    }

    private static void DctIv(ReadOnlySpan<float> input, float[] kernel, Span<float> output)
    {
        var n = output.Length;
        output.Clear();
        for (var k = 0; k < n; k++)
        {
            var value = input[k];
            if (value == 0f)
            {
                continue;
            }

            var row = kernel.AsSpan(k * n, n);
            for (var i = 0; i < n; i++)
            {
                output[i] += value * row[i];
            }
        }
    }

    private static float[] DctIv(int n)
    {
        var kernel = new float[n * n];
        for (var k = 0; k < n; k++)
        {
            for (var i = 0; i < n; i++)
            {
                kernel[(k * n) + i] = (float)Math.Cos(Math.PI / n * (i + 0.5) * (k + 0.5));
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
