using Hearsay.Core.Audio.Input.Mp3;

namespace Hearsay.Core.Tests.Audio;

/// <summary>
/// The MP3 decoder averages stereo inside the hybrid filterbank, before the IMDCT where both channels use the same
/// window and after it where they do not. LAME always gives both channels the same block type, so no real test file
/// takes the second path; these check both against transforming each channel alone and averaging.
/// </summary>
public sealed class Layer3HybridTests
{
    private static readonly Layer3ScaleFactorBands Bands = Layer3ScaleFactorBands.For(MpegVersion.Version1, 0);

    [Theory]
    [InlineData(0, false, 0, false)] // same window: averaged before the IMDCT
    [InlineData(2, false, 2, false)]
    [InlineData(0, false, 2, false)] // different windows: each transformed
    [InlineData(1, false, 2, true)]
    [InlineData(2, true, 3, false)]
    public void Transform_TwoChannels_IsTheAverageOfEachAlone(int leftType, bool leftMixed, int rightType, bool rightMixed)
    {
        var left = new Layer3Granule { BlockType = leftType, Mixed = leftMixed };
        var right = new Layer3Granule { BlockType = rightType, Mixed = rightMixed };
        var random = new Random(15);
        var both = new Layer3Hybrid();
        var leftAlone = new Layer3Hybrid();
        var rightAlone = new Layer3Hybrid();
        var mixed = new float[576];
        var leftSlots = new float[576];
        var rightSlots = new float[576];

        // Three granules, so the overlap carried between them is compared too.
        for (var granule = 0; granule < 3; granule++)
        {
            var leftLines = Lines(random);
            var rightLines = Lines(random);

            both.Transform([.. leftLines], left, 576, [.. rightLines], right, 576, Bands, mixed);
            leftAlone.Transform([.. leftLines], left, 576, [], left, 0, Bands, leftSlots);
            rightAlone.Transform([.. rightLines], right, 576, [], right, 0, Bands, rightSlots);

            for (var i = 0; i < 576; i++)
            {
                Assert.Equal(0.5f * (leftSlots[i] + rightSlots[i]), mixed[i], 1e-4f);
            }
        }
    }

    private static float[] Lines(Random random) => [.. Enumerable.Range(0, 576).Select(_ => (float)((random.NextDouble() * 2) - 1))];
}
