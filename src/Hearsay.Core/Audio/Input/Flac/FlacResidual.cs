using System.Globalization;

namespace Hearsay.Core.Audio.Input.Flac;

/// <summary>A subframe's coded residual (RFC 9639 §9.2.7): Rice partitions with 4- or 5-bit parameters, or escaped ones.</summary>
internal static class FlacResidual
{
    /// <summary>Reads the residual into <paramref name="samples"/> after the <paramref name="order"/> warm-up samples.</summary>
    public static void Read(ref FlacBitReader bits, Span<long> samples, int order)
    {
        var method = bits.ReadBits(2);
        if (method > 1)
        {
            throw FlacErrors.Invalid("a residual uses a reserved coding method");
        }

        var parameterBits = method == 0 ? 4 : 5;
        var escape = (1 << parameterBits) - 1;
        var partitionOrder = (int)bits.ReadBits(4);
        var partitionSize = samples.Length >> partitionOrder;
        if (partitionSize << partitionOrder != samples.Length || partitionSize < order)
        {
            throw FlacErrors.Invalid(string.Create(CultureInfo.InvariantCulture,
                $"a residual's partition order {partitionOrder} does not fit its block of {samples.Length} samples"));
        }

        var start = order;
        for (var partition = 0; partition < 1 << partitionOrder; partition++)
        {
            var end = (partition + 1) * partitionSize;
            var parameter = (int)bits.ReadBits(parameterBits);
            if (parameter == escape)
            {
                var width = (int)bits.ReadBits(5);
                for (var i = start; i < end; i++)
                {
                    samples[i] = bits.ReadSigned(width);
                }
            }
            else
            {
                for (var i = start; i < end; i++)
                {
                    samples[i] = bits.ReadRice(parameter);
                }
            }

            start = end;
        }
    }
}
