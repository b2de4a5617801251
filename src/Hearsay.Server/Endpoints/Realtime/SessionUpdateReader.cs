using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Hearsay.Contracts.Realtime;
using Hearsay.Core;
using Hearsay.Core.Stt;

namespace Hearsay.Server.Endpoints.Realtime;

/// <summary>
/// Applies a <c>session.update</c> (GA) or <c>transcription_session.update</c> (beta) to the current settings. Only the
/// fields present change, as OpenAI documents; <c>turn_detection: null</c> turns server VAD off.
/// </summary>
internal static class SessionUpdateReader
{
    private const int MaxPaddingMs = 10_000;

    /// <exception cref="RealtimeProtocolException">A field is malformed, out of range or not served; nothing changed.</exception>
    public static RealtimeSettings Apply(RealtimeSettings current, JsonElement session, RealtimeDialect dialect)
    {
        if (session.ValueKind != JsonValueKind.Object)
        {
            throw new RealtimeProtocolException(RealtimeErrorCodes.InvalidValue, "The event needs a 'session' object.", "session");
        }

        var next = dialect == RealtimeDialect.Ga ? ApplyGa(current, session) : ApplyBeta(current, session);
        Check(next, dialect);
        return next;
    }

    /// <summary>Where a dialect keeps the transcription settings, for the <c>param</c> of an error.</summary>
    public static string TranscriptionParam(RealtimeDialect dialect) =>
        dialect == RealtimeDialect.Ga ? "session.audio.input.transcription" : "session.input_audio_transcription";

    private static RealtimeSettings ApplyGa(RealtimeSettings current, JsonElement session)
    {
        if (session.TryGetProperty("type", out var type) && type.ValueKind != JsonValueKind.Null
            && !(type.ValueKind == JsonValueKind.String && type.GetString() == "transcription"))
        {
            throw new RealtimeProtocolException(
                RealtimeErrorCodes.Unsupported, "Hearsay serves transcription sessions only: session.type must be 'transcription'.", "session.type");
        }

        if (!session.TryGetProperty("audio", out var audio) || audio.ValueKind == JsonValueKind.Null
            || !audio.TryGetProperty("input", out var input) || input.ValueKind == JsonValueKind.Null)
        {
            return current;
        }

        var next = current;
        if (input.TryGetProperty("format", out var format) && format.ValueKind != JsonValueKind.Null)
        {
            var parsed = Read(format, RealtimeJsonContext.Wire.RealtimeAudioFormat, "session.audio.input.format");
            if (parsed.Type is not (null or "audio/pcm"))
            {
                throw new RealtimeProtocolException(
                    RealtimeErrorCodes.Unsupported, $"Input format '{parsed.Type}' is not served: send audio/pcm (PCM16 little-endian mono).", "session.audio.input.format.type");
            }

            next = next with { InputRate = parsed.Rate ?? 24000 };
        }

        next = ApplyTranscription(next, input, "transcription", TranscriptionParam(RealtimeDialect.Ga));
        return ApplyTurnDetection(next, input, "session.audio.input.turn_detection");
    }

    private static RealtimeSettings ApplyBeta(RealtimeSettings current, JsonElement session)
    {
        var next = current;
        if (session.TryGetProperty("input_audio_format", out var format) && format.ValueKind != JsonValueKind.Null)
        {
            if (!(format.ValueKind == JsonValueKind.String && format.GetString() == "pcm16"))
            {
                throw new RealtimeProtocolException(
                    RealtimeErrorCodes.Unsupported, $"Input format {format.GetRawText()} is not served: send pcm16 (24 kHz little-endian mono).", "session.input_audio_format");
            }

            next = next with { InputRate = 24000 };
        }

        next = ApplyTranscription(next, session, "input_audio_transcription", TranscriptionParam(RealtimeDialect.Beta));
        return ApplyTurnDetection(next, session, "session.turn_detection");
    }

    private static RealtimeSettings ApplyTranscription(RealtimeSettings current, JsonElement parent, string name, string param)
    {
        if (!parent.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return current;
        }

        var parsed = Read(element, RealtimeJsonContext.Wire.RealtimeTranscriptionSettings, param);
        return current with
        {
            Model = parsed.Model ?? current.Model,
            Language = string.IsNullOrEmpty(parsed.Language) ? null : parsed.Language,
            Prompt = string.IsNullOrEmpty(parsed.Prompt) ? null : parsed.Prompt,
        };
    }

    private static RealtimeSettings ApplyTurnDetection(RealtimeSettings current, JsonElement parent, string param)
    {
        if (!parent.TryGetProperty("turn_detection", out var element))
        {
            return current;
        }

        if (element.ValueKind == JsonValueKind.Null)
        {
            return current with { TurnDetection = null };
        }

        var parsed = Read(element, RealtimeJsonContext.Wire.RealtimeTurnDetection, param);
        if (parsed.Type is not (null or "server_vad"))
        {
            throw new RealtimeProtocolException(
                RealtimeErrorCodes.Unsupported, $"Turn detection '{parsed.Type}' is not served: use server_vad, or null to commit yourself.", param + ".type");
        }

        var defaults = TurnDetectionSettings.Default;
        var settings = new TurnDetectionSettings(
            (float)(parsed.Threshold ?? defaults.Threshold),
            parsed.PrefixPaddingMs ?? defaults.PrefixPaddingMs,
            parsed.SilenceDurationMs ?? defaults.SilenceDurationMs);
        if (!(settings.Threshold is > 0 and < 1))
        {
            throw new RealtimeProtocolException(RealtimeErrorCodes.InvalidValue, "threshold must be above 0 and below 1.", param + ".threshold");
        }

        if (settings.PrefixPaddingMs is < 0 or > MaxPaddingMs)
        {
            throw new RealtimeProtocolException(RealtimeErrorCodes.InvalidValue, $"prefix_padding_ms must be from 0 to {MaxPaddingMs}.", param + ".prefix_padding_ms");
        }

        if (settings.SilenceDurationMs is < 32 or > MaxPaddingMs)
        {
            // One Silero frame is 32 ms: a shorter silence cannot be told from a pause between two frames.
            throw new RealtimeProtocolException(RealtimeErrorCodes.InvalidValue, $"silence_duration_ms must be from 32 to {MaxPaddingMs}.", param + ".silence_duration_ms");
        }

        return current with { TurnDetection = settings };
    }

    private static void Check(RealtimeSettings settings, RealtimeDialect dialect)
    {
        if (settings.InputRate is not (24000 or 16000))
        {
            throw new RealtimeProtocolException(
                RealtimeErrorCodes.Unsupported, $"A rate of {settings.InputRate} Hz is not served: send 24000 (OpenAI's rate) or 16000.", "session.audio.input.format.rate");
        }

        try
        {
            new TranscribeOptions { Language = settings.Language, Prompt = settings.Prompt }.Validate();
        }
        catch (HearsayException e)
        {
            var field = e.OptionName is { } option ? $"{TranscriptionParam(dialect)}.{JsonNamingPolicy.SnakeCaseLower.ConvertName(option)}" : null;
            throw new RealtimeProtocolException(RealtimeErrorCodes.InvalidValue, e.Message, field);
        }
    }

    private static T Read<T>(JsonElement element, JsonTypeInfo<T> type, string param)
    {
        try
        {
            return element.Deserialize(type) ?? throw new RealtimeProtocolException(RealtimeErrorCodes.InvalidValue, $"{param} cannot be null here.", param);
        }
        catch (JsonException e)
        {
            throw new RealtimeProtocolException(RealtimeErrorCodes.InvalidValue, $"{param} is malformed: {e.Message}", param);
        }
    }
}
