using System.Diagnostics;
using Hearsay.Core.Tts.Phonemization;
using Hearsay.Core.Tts.Phonemization.Portable;

namespace Hearsay.Core.ExternalPrograms;

/// <summary>
/// The table of external programs (<see cref="ExternalProgram.All"/>) as found on this machine: each is looked for when
/// this is created, and again when asked for after <see cref="RefreshInterval"/>, so a program installed (or removed)
/// while Hearsay runs is noticed without a restart. Looking only checks whether files exist, a few stats at most every
/// two seconds per program. <see cref="WithVersionAsync"/> asks a found program for its version, which runs it once.
/// </summary>
/// <remarks>Thread-safe: one instance serves every request of a server.</remarks>
public sealed class ExternalTools
{
    /// <summary>How long a finding is trusted before the places are looked at again.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan VersionTimeout = TimeSpan.FromSeconds(10);

    private readonly Entry[] _entries;

    /// <summary>
    /// Looks for every program where Hearsay would: the given paths, their environment variables, the portable
    /// phonemizer beside hearsay (for espeak-ng), next to hearsay, PATH, then the folders installers use.
    /// </summary>
    /// <param name="espeakNgPath">An explicit espeak-ng path (program or folder); null to search.</param>
    /// <param name="ffmpegPath">An explicit ffmpeg path (program or folder); null to search.</param>
    /// <param name="timeProvider">The clock for <see cref="RefreshInterval"/>; null for the system's.</param>
    /// <param name="phonemizer">Forces the native espeak-ng or the portable phonemizer; null takes the first found.</param>
    public ExternalTools(string? espeakNgPath, string? ffmpegPath, TimeProvider? timeProvider = null, PhonemizerKind? phonemizer = null)
        : this(
            espeakNgPath,
            ffmpegPath,
            program => new ProgramLocator(program, program == ExternalProgram.EspeakNg ? EspeakNgLocator.Choice(phonemizer) : ProgramChoice.Any),
            timeProvider ?? TimeProvider.System)
    {
    }

    internal ExternalTools(string? espeakNgPath, string? ffmpegPath, Func<ExternalProgram, ProgramLocator> locator, TimeProvider timeProvider)
    {
        var configured = new Dictionary<ExternalProgram, string?> { [ExternalProgram.EspeakNg] = espeakNgPath, [ExternalProgram.Ffmpeg] = ffmpegPath };
        _entries = [.. ExternalProgram.All.Select(program => new Entry(locator(program), configured.GetValueOrDefault(program), timeProvider))];
    }

    /// <summary>Every program, in the table's order, each looked for again if its finding is older than <see cref="RefreshInterval"/>.</summary>
    public IReadOnlyList<ExternalTool> All => [.. _entries.Select(entry => entry.Current())];

    /// <summary>One program, looked for again if its finding is older than <see cref="RefreshInterval"/>.</summary>
    /// <param name="program">A program of <see cref="ExternalProgram.All"/>.</param>
    public ExternalTool Find(ExternalProgram program) =>
        _entries.SingleOrDefault(entry => entry.Program == program)?.Current()
            ?? throw new ArgumentException($"{program} is not one of Hearsay's external programs.", nameof(program));

    /// <summary>
    /// Asks a found program for its version (<see cref="ExternalProgram.VersionArgument"/>). A program that does not
    /// start or answer within 10 s comes back as missing, with what went wrong.
    /// </summary>
    /// <param name="tool">A program as found; one that was not found comes back unchanged.</param>
    /// <param name="cancellationToken">Stops waiting (the program is killed).</param>
    public static async Task<ExternalTool> WithVersionAsync(ExternalTool tool, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tool);
        if (tool.ExecutablePath is not { } path || !tool.Found)
        {
            return tool;
        }

        if (EspeakNgLocator.IsPortableModule(path))
        {
            return await PortableVersionAsync(tool, path, cancellationToken).ConfigureAwait(false);
        }

        var program = tool.Program;
        var argument = program.VersionArgument;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(VersionTimeout);
        Process? process = null;
        try
        {
            process = ExternalProcess.Start(program.Name, path, [argument]);
            process.StandardInput.Close();
            var output = await process.StandardOutput.ReadToEndAsync(timeout.Token).ConfigureAwait(false);
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            return process.ExitCode == 0
                ? tool with { Version = ParseVersion(output) }
                : tool with { Problem = $"{program.Name} at {path} answered '{argument}' with exit code {process.ExitCode}; {program.Disables}" };
        }
        catch (HearsayException e)
        {
            return tool with { Problem = $"{e.Message}; {program.Disables}" };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return tool with { Problem = $"{program.Name} at {path} did not answer '{argument}' within {VersionTimeout.TotalSeconds:0} s; {program.Disables}" };
        }
        finally
        {
            ExternalProcess.Kill(process);
            process?.Dispose();
        }
    }

    /// <summary>
    /// The portable phonemizer's version, from its worker's ready line: this also proves the worker starts. Its
    /// version is espeak-ng's, marked as the portable build.
    /// </summary>
    private static async Task<ExternalTool> PortableVersionAsync(ExternalTool tool, string modulePath, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(VersionTimeout);
        try
        {
            using var worker = await PhonemizerWorker.StartAsync(
                PhonemizerWorkerCommand.Resolve(), new PortableEspeakNgBundle(Path.GetDirectoryName(modulePath)!), timeout.Token).ConfigureAwait(false);
            return tool with { Version = $"{worker.Version} (portable)" };
        }
        catch (HearsayException e)
        {
            return tool with { Problem = $"{e.Message}; {tool.Program.Disables}" };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return tool with { Problem = $"The portable phonemizer at {modulePath} did not start within {VersionTimeout.TotalSeconds:0} s; {tool.Program.Disables}" };
        }
    }

    /// <summary>
    /// The version in a program's banner: the first word of its first line that starts with a digit
    /// (<c>eSpeak NG text-to-speech: 1.51  Data at: …</c> gives 1.51, <c>ffmpeg version 5.1.6-0+deb12u1 …</c> gives 5.1.6-0+deb12u1).
    /// </summary>
    internal static string? ParseVersion(string banner)
    {
        var firstLine = banner.AsSpan().TrimStart();
        var end = firstLine.IndexOfAny('\r', '\n');
        if (end >= 0)
        {
            firstLine = firstLine[..end];
        }

        foreach (var range in firstLine.Split(' '))
        {
            var word = firstLine[range];
            if (word.Length > 0 && char.IsAsciiDigit(word[0]))
            {
                return word.ToString();
            }
        }

        return null;
    }

    /// <summary>One program's latest finding and when it was made.</summary>
    private sealed class Entry
    {
        private readonly Lock _gate = new();
        private readonly ProgramLocator _locator;
        private readonly string? _configuredPath;
        private readonly TimeProvider _time;
        private ExternalTool _finding;
        private long _foundAt;

        public Entry(ProgramLocator locator, string? configuredPath, TimeProvider time)
        {
            _locator = locator;
            _configuredPath = configuredPath;
            _time = time;
            _finding = Look();
            _foundAt = time.GetTimestamp();
        }

        public ExternalProgram Program => _locator.Program;

        public ExternalTool Current()
        {
            lock (_gate)
            {
                if (_time.GetElapsedTime(_foundAt) >= RefreshInterval)
                {
                    _finding = Look();
                    _foundAt = _time.GetTimestamp();
                }

                return _finding;
            }
        }

        private ExternalTool Look()
        {
            try
            {
                var found = _locator.Locate(_configuredPath);
                return new ExternalTool(Program, found.ExecutablePath, found.Source, Version: null, Problem: null);
            }
            catch (DependencyUnavailableException e)
            {
                return new ExternalTool(Program, ExecutablePath: null, Source: null, Version: null, e.Message);
            }
        }
    }
}
