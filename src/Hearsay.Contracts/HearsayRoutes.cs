namespace Hearsay.Contracts;

/// <summary>The paths of Hearsay's HTTP API, shared by the server and its clients.</summary>
public static class HearsayRoutes
{
    /// <summary>The prefix of every API path: what needs the token, and where every error is in OpenAI's envelope.</summary>
    public const string Api = "/v1";

    /// <summary>OpenAI's transcription endpoint (multipart form).</summary>
    public const string Transcriptions = Api + "/audio/transcriptions";

    /// <summary>OpenAI's translation endpoint (multipart form): speech in any language to English text.</summary>
    public const string Translations = Api + "/audio/translations";

    /// <summary>OpenAI's text-to-speech endpoint (JSON body).</summary>
    public const string Speech = Api + "/audio/speech";

    /// <summary>OpenAI's Realtime WebSocket; Hearsay speaks its transcription intent (<c>?intent=transcription</c>).</summary>
    public const string Realtime = Api + "/realtime";

    /// <summary>OpenAI's model list: what this server answers to.</summary>
    public const string Models = Api + "/models";

    /// <summary>Capability states.</summary>
    public const string Status = Api + "/status";

    /// <summary>Capability states as server-sent events: the current state first, then every change.</summary>
    public const string StatusEvents = Api + "/status/events";

    /// <summary>The model catalog with each model's install state.</summary>
    public const string Catalog = Api + "/catalog/models";

    /// <summary>200 while the process runs.</summary>
    public const string Live = "/health/live";

    /// <summary>200 only when the capabilities named in <c>?require=stt,tts</c> (default: every enabled one) are ready.</summary>
    public const string Ready = "/health/ready";

    /// <summary>The OpenAPI description of every endpoint.</summary>
    public const string OpenApi = "/openapi/v1.json";

    /// <summary>One catalog model: <c>GET</c> its state, <c>DELETE</c> removes it.</summary>
    public static string CatalogModel(string id) => $"{Catalog}/{Uri.EscapeDataString(id)}";

    /// <summary><c>POST</c> starts (or joins) the model's download; <c>DELETE</c> cancels it, keeping what arrived.</summary>
    public static string CatalogDownload(string id) => $"{CatalogModel(id)}/download";

    /// <summary><c>POST</c> re-hashes the installed model's files.</summary>
    public static string CatalogVerify(string id) => $"{CatalogModel(id)}/verify";
}
