using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using Hearsay.Core.Tts.Piper;

namespace Hearsay.Cli.Commands;

/// <summary><c>hearsay phonemes TEXT --voice VOICE.onnx.json</c>: what a Piper voice would be given.</summary>
internal static class PhonemesCommand
{
    private static readonly Argument<string> Text = TextInput.CreateArgument();

    private static readonly Option<string> Voice = new("--voice")
    {
        Description = "The voice config (VOICE.onnx.json; VOICE.onnx also works)",
        Required = true,
    };

    private static readonly Option<bool> Json = new("--json")
    {
        Description = "Print a JSON array of {text, phonemes, phoneme_ids} instead of text",
    };

    public static Command Create(CliConsole console)
    {
        var command = new Command("phonemes", "Show the IPA phonemes and phoneme ids of each sentence, as a Piper voice gets them")
        {
            Text, Voice, Json,
        };
        CommandRunner.SetAction(command, console, RunAsync);
        return command;
    }

    private static async Task RunAsync(ParseResult parseResult, CliConsole console, CancellationToken cancellationToken)
    {
        var configPath = parseResult.GetRequiredValue(Voice);
        if (configPath.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
        {
            configPath += ".json";
        }

        var config = PiperVoiceConfig.Load(configPath);
        var text = await TextInput.ReadAsync(parseResult.GetRequiredValue(Text), console, cancellationToken);
        using var loggerFactory = CommonOptions.CreateLoggerFactory(parseResult);
        using var phonemizer = PiperPhonemizer.Create(config, CommonOptions.PhonemizerOptions(parseResult), loggerFactory);
        var sentences = await phonemizer.PhonemizeAsync(text, cancellationToken);

        if (parseResult.GetValue(Json))
        {
            WriteJson(console.Out, sentences);
            return;
        }

        for (var i = 0; i < sentences.Count; i++)
        {
            console.Out.WriteLine($"[{i + 1}] {sentences[i].Text}");
            console.Out.WriteLine($"    phonemes: {sentences[i].Phonemes}");
            console.Out.WriteLine($"    ids: {string.Join(' ', sentences[i].PhonemeIds)}");
        }
    }

    private static void WriteJson(TextWriter output, IReadOnlyList<PiperSentence> sentences)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartArray();
            foreach (var sentence in sentences)
            {
                json.WriteStartObject();
                json.WriteString("text", sentence.Text);
                json.WriteString("phonemes", sentence.Phonemes);
                json.WriteStartArray("phoneme_ids");
                foreach (var id in sentence.PhonemeIds)
                {
                    json.WriteNumberValue(id);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        output.WriteLine(CliConsole.Utf8.GetString(stream.ToArray()));
    }
}
