using System.Numerics;
using System.Runtime.InteropServices;

namespace Hearsay.Core.Audio.Input.Mp3;

/// <summary>
/// The polyphase synthesis filterbank (ISO/IEC 11172-3 §2.4.3.2.2, Figure A.2): 32 subband samples in, 32 PCM samples
/// out. The matrixing V[i] = Σ cos((16 + i)(2k + 1)π/64) S[k] runs as one fast 32-point DCT-II whose outputs fill V by
/// its symmetries; the windowing sums vectors of contiguous outputs.
/// </summary>
internal sealed class SynthesisFilterbank
{
    private static readonly float[] Window = BuildWindow();

    // 16 past V vectors of 64, newest at _newest; V from n steps ago is slot (_newest + n) mod 16.
    private readonly float[] _v = new float[16 * 64];
    private readonly float[] _dct = new float[32];
    private readonly float[] _scratch = new float[32];
    private int _newest;

    public void Reset()
    {
        Array.Clear(_v);
        _newest = 0;
    }

    /// <summary>Synthesizes 32 samples from one time slot's 32 subband samples.</summary>
    public void Synthesize(ReadOnlySpan<float> subbands, Span<float> output)
    {
        _newest = (_newest + 15) & 15;
        var x = _dct.AsSpan();
        subbands[..32].CopyTo(x);
        Dct32.Transform(x, _scratch);

        // X[m] = Σ S[k] cos((2k + 1)mπ/64): V[0..15] = X[16..31], V[16] = 0, V[17..32] = −X[31..16],
        // V[33..48] = −X[15..0], V[49..63] = −X[1..15].
        var v = _v.AsSpan(_newest * 64, 64);
        for (var i = 0; i < 16; i++)
        {
            v[i] = x[16 + i];
            v[48 - i] = -x[i];
            v[48 + i] = -x[i];
        }

        v[16] = 0f;
        for (var i = 17; i < 33; i++)
        {
            v[i] = -x[48 - i];
        }

        // out[j] = Σ_{i<8} V_{2i}[j] D[64i + j] + V_{2i+1}[32 + j] D[64i + 32 + j], where V_n is V from n steps ago.
        var sums = MemoryMarshal.Cast<float, Vector<float>>(output[..32]);
        sums.Clear();
        for (var i = 0; i < 8; i++)
        {
            var even = MemoryMarshal.Cast<float, Vector<float>>(_v.AsSpan((((_newest + (2 * i)) & 15) * 64), 32));
            var odd = MemoryMarshal.Cast<float, Vector<float>>(_v.AsSpan((((_newest + (2 * i) + 1) & 15) * 64) + 32, 32));
            var evenWindow = MemoryMarshal.Cast<float, Vector<float>>(Window.AsSpan(64 * i, 32));
            var oddWindow = MemoryMarshal.Cast<float, Vector<float>>(Window.AsSpan((64 * i) + 32, 32));
            for (var j = 0; j < sums.Length; j++)
            {
                sums[j] += (even[j] * evenWindow[j]) + (odd[j] * oddWindow[j]);
            }
        }
    }

    /// <summary>
    /// D[i] (ISO/IEC 11172-3 Table 3-B.3) from its first half in units of 2^-16; D[512 − i] is −D[i] except at multiples
    /// of 64, where it is D[i].
    /// </summary>
    private static float[] BuildWindow()
    {
        ReadOnlySpan<int> half =
        [
            0, -1, -1, -1, -1, -1, -1, -2, -2, -2, -2, -3, -3, -4, -4, -5,
            -5, -6, -7, -7, -8, -9, -10, -11, -13, -14, -16, -17, -19, -21, -24, -26,
            -29, -31, -35, -38, -41, -45, -49, -53, -58, -63, -68, -73, -79, -85, -91, -97,
            -104, -111, -117, -125, -132, -139, -147, -154, -161, -169, -176, -183, -190, -196, -202, -208,
            213, 218, 222, 225, 227, 228, 228, 227, 224, 221, 215, 208, 200, 189, 177, 163,
            146, 127, 106, 83, 57, 29, -2, -36, -72, -111, -153, -197, -244, -294, -347, -401,
            -459, -519, -581, -645, -711, -779, -848, -919, -991, -1064, -1137, -1210, -1283, -1356, -1428, -1498,
            -1567, -1634, -1698, -1759, -1817, -1870, -1919, -1962, -2001, -2032, -2057, -2075, -2085, -2087, -2080, -2063,
            2037, 2000, 1952, 1893, 1822, 1739, 1644, 1535, 1414, 1280, 1131, 970, 794, 605, 402, 185,
            -45, -288, -545, -814, -1095, -1388, -1692, -2006, -2330, -2663, -3004, -3351, -3705, -4063, -4425, -4788,
            -5153, -5517, -5879, -6237, -6589, -6935, -7271, -7597, -7910, -8209, -8491, -8755, -8998, -9219, -9416, -9585,
            -9727, -9838, -9916, -9959, -9966, -9935, -9863, -9750, -9592, -9389, -9139, -8840, -8492, -8092, -7640, -7134,
            6574, 5959, 5288, 4561, 3776, 2935, 2037, 1082, 70, -998, -2122, -3300, -4533, -5818, -7154, -8540,
            -9975, -11455, -12980, -14548, -16155, -17799, -19478, -21189, -22929, -24694, -26482, -28289, -30112, -31947, -33791, -35640,
            -37489, -39336, -41176, -43006, -44821, -46617, -48390, -50137, -51853, -53534, -55178, -56778, -58333, -59838, -61289, -62684,
            -64019, -65290, -66494, -67629, -68692, -69679, -70590, -71420, -72169, -72835, -73415, -73908, -74313, -74630, -74856, -74992,
            75038,
        ];
        var window = new float[512];
        for (var i = 0; i <= 256; i++)
        {
            var value = half[i] / 65536f;
            window[i] = value;
            if (i > 0)
            {
                window[512 - i] = (i & 63) != 0 ? -value : value;
            }
        }

        return window;
    }
}
