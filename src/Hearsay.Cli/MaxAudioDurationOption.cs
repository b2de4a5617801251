using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Hearsay.Server;

namespace Hearsay.Cli;

/// <summary>
/// <c>--max-audio-duration</c> of <c>serve</c> and <c>transcribe</c>: the longest audio accepted, as a number with a
/// unit (<c>2h</c>, <c>90m</c>, <c>45s</c>), plain seconds, or <c>h:mm:ss</c>. Both default to the server's limit, so a
/// file that <c>transcribe</c> takes is one the sidecar takes too.
/// </summary>
internal static class MaxAudioDurationOption
{
    public const string Name = "--max-audio-duration";

    public static Option<TimeSpan> Create(string description) => new(Name)
    {
        Description = $"{description}, as 2h, 90m, 45s or h:mm:ss",
        DefaultValueFactory = _ => HearsayServerOptions.DefaultMaxAudioDuration,
        CustomParser = Parse,
    };

    private static TimeSpan Parse(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value.Trim() : string.Empty;
        if (TryParse(text, out var duration) && duration > TimeSpan.Zero)
        {
            return duration;
        }

        result.AddError($"{Name} {text} is not a duration such as 2h, 90m, 45s or 1:30:00.");
        return default;
    }

    internal static bool TryParse(string text, out TimeSpan duration)
    {
        duration = default;
        if (text.Contains(':', StringComparison.Ordinal))
        {
            return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration);
        }

        var (number, secondsPerUnit) = text.Length > 0 && char.ToLowerInvariant(text[^1]) is var unit && unit is 'h' or 'm' or 's'
            ? (text[..^1], unit switch { 'h' => 3600, 'm' => 60, _ => 1 })
            : (text, 1);
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) ||
            value * secondsPerUnit > TimeSpan.MaxValue.TotalSeconds)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(value * secondsPerUnit);
        return true;
    }
}
