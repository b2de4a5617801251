using System.Globalization;

namespace Hearsay.Core;

/// <summary>
/// Sizes for people, in decimal units (1 MB = 1,000,000 bytes), the way model hubs, download pages, macOS and phones
/// give them, so the size Hearsay shows matches the size the user sees where the model is published. The first-run
/// page's <c>formatSize</c> follows the same rules.
/// </summary>
public static class ByteSize
{
    private static readonly string[] Units = ["B", "kB", "MB", "GB", "TB"];

    /// <summary>
    /// <c>950 B</c>, <c>1.2 kB</c>, <c>116 kB</c>, <c>5.4 MB</c>, <c>142 MB</c>, <c>1.5 GB</c>: one decimal below 10 of
    /// the unit, none above, and the next unit from 1000 on.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bytes"/> is negative.</exception>
    public static string Format(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        double value = bytes;
        var unit = 0;
        // 999.5 and up would round to "1000", which reads better as the next unit's "1.0".
        while (value >= 999.5 && unit < Units.Length - 1)
        {
            value /= 1000;
            unit++;
        }

        return unit == 0 ? string.Create(CultureInfo.InvariantCulture, $"{bytes} B")
            : value < 9.95 ? string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {Units[unit]}")
            : string.Create(CultureInfo.InvariantCulture, $"{value:0} {Units[unit]}");
    }
}
