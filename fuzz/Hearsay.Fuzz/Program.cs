using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using Hearsay.Core;
using Hearsay.Core.Audio.Input;
using Hearsay.Core.Tts.Phonemization.Portable;
using SharpFuzz;

namespace Hearsay.Fuzz;

/// <summary>
/// Feeds arbitrary bytes to Hearsay's in-process audio decoders (WAV, FLAC and MP3 parsers, PCM decoding, Ogg and
/// WebM/Matroska with Opus and Vorbis, downmix, resampler to 16 kHz; ffmpeg off). A typed <see cref="HearsayException"/> is the expected way to reject input; anything else, a hang, or
/// output the input cannot account for is a finding. See fuzz/README.md.
/// </summary>
public static class Program
{
    private const string Usage = """
        Hearsay.Fuzz                       one input on stdin per run, under afl-fuzz (SharpFuzz out-of-process mode)
        Hearsay.Fuzz --smoke N [CORPUS]    N deterministic mutations of the seed files under CORPUS (default fuzz/corpus),
                                           then N of the portable phonemizer's worker answers (PhonemizerAnswers)
        Hearsay.Fuzz --run FILE...         decode each file once and say how it ended (to replay a finding)
        """;

    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(10);

    public static int Main(string[] args)
    {
        switch (args)
        {
            case []:
                Fuzzer.OutOfProcess.Run(stream =>
                {
                    using var copy = new MemoryStream();
                    stream.CopyTo(copy);
                    Target.Decode(copy.ToArray());
                });
                return 0;
            case ["--smoke", var count, .. var rest] when int.TryParse(count, CultureInfo.InvariantCulture, out var iterations):
                var corpus = rest.Length > 0 ? rest[0] : FindCorpus();
                var seeds = Directory.GetFiles(corpus, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToArray();
                return Smoke("audio decoder", iterations, seeds, Target.Decode) == 0
                    ? Smoke("phonemizer protocol", iterations, PhonemizerAnswers.Seeds, PhonemizerAnswers.Read)
                    : 1;
            case ["--run", .. var files] when files.Length > 0:
                return Replay(files);
            default:
                Console.Error.WriteLine(Usage);
                return 2;
        }
    }

    private static int Replay(string[] files)
    {
        var failed = 0;
        foreach (var file in files)
        {
            try
            {
                Console.WriteLine($"{file}: {Target.Decode(File.ReadAllBytes(file))}");
            }
            catch (Exception e)
            {
                failed++;
                Console.WriteLine($"{file}: FINDING {e}");
            }
        }

        return failed == 0 ? 0 : 1;
    }

    private static int Smoke(string name, int iterations, byte[][] seeds, Func<byte[], string> target)
    {
        if (seeds.Length == 0)
        {
            Console.Error.WriteLine($"No seeds for the {name}.");
            return 2;
        }

        var random = new Random(20260101);
        var stopwatch = Stopwatch.StartNew();
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < iterations; i++)
        {
            var input = Mutator.Mutate(seeds[random.Next(seeds.Length)], seeds[random.Next(seeds.Length)], random);
            var run = Task.Run(() => target(input));
            string outcome;
            try
            {
                if (!run.Wait(HangLimit))
                {
                    return Report("hang", i, input, null);
                }

                outcome = run.Result;
            }
            catch (AggregateException e)
            {
                return Report("crash", i, input, e.InnerException);
            }

            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        Console.WriteLine($"{name}: {iterations} executions in {stopwatch.Elapsed.TotalSeconds:0.0} s from {seeds.Length} seeds, no finding.");
        foreach (var (outcome, count) in outcomes.OrderByDescending(p => p.Value).Take(12))
        {
            Console.WriteLine($"  {count,8}  {outcome}");
        }

        return 0;
    }

    private static int Report(string kind, int iteration, byte[] input, Exception? exception)
    {
        var path = Path.GetFullPath($"{kind}-{iteration}.bin");
        File.WriteAllBytes(path, input);
        Console.Error.WriteLine($"FINDING ({kind}) at execution {iteration}, input saved to {path}");
        if (exception is not null)
        {
            Console.Error.WriteLine(exception);
        }

        return 1;
    }

    private static string FindCorpus()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, "fuzz", "corpus");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new DirectoryNotFoundException("No fuzz/corpus above the current or the program's folder; pass the corpus folder.");
    }
}

/// <summary>The code under test, with the invariants a finding breaks.</summary>
public static class Target
{
    private static readonly AudioInputOptions Options = new() { UseFfmpeg = false, TargetSampleRate = 16000 };

    /// <summary>Decodes to the end; returns how it ended. Throws only on a finding.</summary>
    public static string Decode(byte[] data)
    {
        try
        {
            // A MemoryStream completes every read synchronously, so this never blocks a thread on real I/O.
            return DecodeAsync(data).AsTask().GetAwaiter().GetResult();
        }
        catch (HearsayException e)
        {
            return $"rejected: {e.Code}";
        }
    }

    private static async ValueTask<string> DecodeAsync(byte[] data)
    {
        await using var reader = await AudioDecoder.OpenAsync(new MemoryStream(data, writable: false), Options);
        var buffer = new float[4096];
        long total = 0;
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            total += read;
            foreach (var sample in buffer.AsSpan(0, read))
            {
                if (!(sample is >= -1f and <= 1f))
                {
                    throw new InvalidOperationException($"Sample {sample} is outside [-1, 1].");
                }
            }

            if (total > MaxSamples(data))
            {
                throw new InvalidOperationException($"{total} samples from {data.Length} bytes.");
            }
        }

        if (reader.TotalSamples is { } expected && total > expected)
        {
            throw new InvalidOperationException($"{total} samples, more than the {expected} announced.");
        }

        return total == 0 ? "decoded: empty" : "decoded";
    }

    /// <summary>The most 16 kHz samples the input can account for; every source rate is at least 1 kHz (×16).</summary>
    private static long MaxSamples(byte[] data)
    {
        if (data.AsSpan().StartsWith("fLaC"u8))
        {
            // A FLAC frame of up to 65535 samples can take 10 bytes (CONSTANT).
            return 16L * 65536 * ((data.Length / 10) + 1);
        }

        if (data.AsSpan().StartsWith("OggS"u8) || data.AsSpan().StartsWith((byte[])[0x1A, 0x45, 0xDF, 0xA3]))
        {
            // A Vorbis packet of one byte can stand for half a long block (4096 samples) at 1 kHz: 65,536 at 16 kHz.
            return (65_536L * data.Length) + 16;
        }

        // WAV: at least 1 byte per frame; MP3: its densest frames give 16 samples per byte at 16 kHz.
        return (16L * data.Length) + 16;
    }
}

/// <summary>
/// What the serving process reads from the portable phonemizer's worker (ADR 0010): a stream of answers. Reading must
/// end in answers, a clean end of stream or malformed data, never anything else, and no answer may hold more text than
/// the bytes that carried it.
/// </summary>
public static class PhonemizerAnswers
{
    public static byte[][] Seeds { get; } =
    [
        "OK 10\nhəlˈoʊ\n"u8.ToArray(),
        "OK 0\nERR 26\nvoice not found: no voice\nOK 4\na\nb\n"u8.ToArray(),
        "READY 1.51\nOK 23\nðə kwˈɪk bɹˈaʊn\n"u8.ToArray(),
    ];

    /// <summary>Reads every answer; returns how it ended. Throws only on a finding.</summary>
    public static string Read(byte[] data)
    {
        using var stream = new MemoryStream(data, writable: false);
        var answers = 0;
        try
        {
            while (stream.Position < stream.Length)
            {
                var answer = PhonemizerProtocol.ReadAnswerAsync(stream, CancellationToken.None).GetAwaiter().GetResult();
                if (System.Text.Encoding.UTF8.GetByteCount(answer.Text) > data.Length * 3)
                {
                    throw new InvalidOperationException($"An answer of {answer.Text.Length} characters from {data.Length} bytes.");
                }

                answers++;
            }

            return answers == 0 ? "read: nothing" : "read";
        }
        catch (EndOfStreamException)
        {
            return "rejected: ended early";
        }
        catch (InvalidDataException)
        {
            return "rejected: malformed";
        }
    }
}

/// <summary>Structure-aware enough mutations for RIFF: bit flips, boundary values in size fields, splices, cuts.</summary>
internal static class Mutator
{
    private static readonly uint[] Interesting =
        [0, 1, 2, 3, 4, 8, 16, 18, 40, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0xFFFE, 0x10000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFE, 0xFFFFFFFF];

    public static byte[] Mutate(byte[] seed, byte[] other, Random random)
    {
        var data = new List<byte>(seed);
        var bytes = new byte[4];
        var rounds = 1 + random.Next(4);
        for (var round = 0; round < rounds; round++)
        {
            switch (random.Next(8))
            {
                case 0 when data.Count > 0:
                    var bit = random.Next(data.Count * 8);
                    data[bit / 8] ^= (byte)(1 << (bit % 8));
                    break;
                case 1 when data.Count > 0:
                    data[random.Next(data.Count)] = (byte)random.Next(256);
                    break;
                case 2 when data.Count >= 4:
                    // A boundary value in a 16- or 32-bit field, mostly where RIFF keeps sizes and counts.
                    var at = random.Next(2) == 0 ? Math.Min(data.Count - 4, 4 * random.Next(16)) : random.Next(data.Count - 3);
                    var value = Interesting[random.Next(Interesting.Length)];
                    BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
                    for (var k = 0; k < (random.Next(2) == 0 ? 2 : 4); k++)
                    {
                        data[at + k] = bytes[k];
                    }

                    break;
                case 3 when data.Count > 1:
                    var index = random.Next(data.Count);
                    data.RemoveRange(index, 1 + random.Next(Math.Min(64, data.Count - index)));
                    break;
                case 4:
                    var insert = Enumerable.Range(0, 1 + random.Next(16)).Select(_ => (byte)random.Next(256));
                    data.InsertRange(random.Next(data.Count + 1), insert);
                    break;
                case 5 when other.Length > 0:
                    var from = random.Next(other.Length);
                    var length = 1 + random.Next(Math.Min(128, other.Length - from));
                    data.InsertRange(random.Next(data.Count + 1), other.Skip(from).Take(length));
                    break;
                case 6 when data.Count > 13:
                    // A cut-off file.
                    var keep = random.Next(12, data.Count);
                    data.RemoveRange(keep, data.Count - keep);
                    break;
                default:
                    if (data.Count > 16)
                    {
                        // Duplicate a region: repeated or overlapping chunks.
                        var start = random.Next(data.Count - 8);
                        var span = 1 + random.Next(Math.Min(64, data.Count - start));
                        data.InsertRange(random.Next(data.Count), data.GetRange(start, span));
                    }

                    break;
            }
        }

        return [.. data];
    }
}
