using System.Text;

namespace Hearsay.Core.ExternalPrograms;

/// <summary>
/// A child program's stderr, read in the background with a bounded part of it kept for an error message. Reading goes
/// on past the bound, so the program never blocks on a full stderr pipe.
/// </summary>
internal sealed class ErrorOutput
{
    private const int ReadChars = 1024;

    private readonly StringBuilder _text = new();
    private readonly int _maxChars;
    private readonly bool _keepEnd;
    private bool _truncated;

    private ErrorOutput(int maxChars, bool keepEnd)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxChars);
        _maxChars = maxChars;
        _keepEnd = keepEnd;
    }

    /// <summary>Completes when stderr ends, the program is killed, or reading is cancelled; it never faults.</summary>
    public Task Drained { get; private set; } = Task.CompletedTask;

    /// <summary>Reads <paramref name="stderr"/> in the background, keeping its first <paramref name="maxChars"/> characters.</summary>
    /// <param name="stderr">The program's redirected stderr.</param>
    /// <param name="maxChars">How much of it to keep.</param>
    /// <param name="cancellationToken">Stops the reading.</param>
    public static ErrorOutput KeepStart(StreamReader stderr, int maxChars, CancellationToken cancellationToken) =>
        Drain(new ErrorOutput(maxChars, keepEnd: false), stderr, cancellationToken);

    /// <summary>
    /// Reads <paramref name="stderr"/> in the background, keeping its last <paramref name="maxChars"/> characters;
    /// <see cref="Summary"/> then gives only the whole lines among them.
    /// </summary>
    /// <param name="stderr">The program's redirected stderr.</param>
    /// <param name="maxChars">How much of it to keep.</param>
    /// <param name="cancellationToken">Stops the reading.</param>
    public static ErrorOutput KeepEnd(StreamReader stderr, int maxChars, CancellationToken cancellationToken) =>
        Drain(new ErrorOutput(maxChars, keepEnd: true), stderr, cancellationToken);

    /// <summary>
    /// What was kept, on one line: trimmed, with line breaks as <c>"; "</c> and, when the start was dropped, <c>"… "</c>
    /// before the first whole line kept. Empty when the program wrote nothing.
    /// </summary>
    public string Summary()
    {
        string text;
        lock (_text)
        {
            text = _text.ToString();
            if (_truncated && text.IndexOf('\n', StringComparison.Ordinal) is var newline and >= 0)
            {
                text = "… " + text[(newline + 1)..];
            }
        }

        return text.Trim().ReplaceLineEndings("; ");
    }

    private static ErrorOutput Drain(ErrorOutput output, StreamReader stderr, CancellationToken cancellationToken)
    {
        output.Drained = Task.Run(() => output.ReadAsync(stderr, cancellationToken), CancellationToken.None);
        return output;
    }

    private async Task ReadAsync(StreamReader stderr, CancellationToken cancellationToken)
    {
        var buffer = new char[ReadChars];
        try
        {
            int read;
            while ((read = await stderr.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                lock (_text)
                {
                    Keep(buffer.AsSpan(0, read));
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // Cancelled, or the program was killed.
        }
    }

    private void Keep(ReadOnlySpan<char> read)
    {
        if (!_keepEnd)
        {
            _text.Append(read[..Math.Min(read.Length, Math.Max(0, _maxChars - _text.Length))]);
            return;
        }

        _text.Append(read);
        if (_text.Length > _maxChars)
        {
            _text.Remove(0, _text.Length - _maxChars);
            _truncated = true;
        }
    }
}
