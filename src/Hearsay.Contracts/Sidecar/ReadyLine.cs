namespace Hearsay.Contracts.Sidecar;

/// <summary>
/// The one JSON line <c>hearsay serve</c> prints on stdout once it listens:
/// <c>{"event":"ready","url":"http://127.0.0.1:PORT","token":"…"}</c>.
/// </summary>
/// <param name="Event">Always <c>ready</c>.</param>
/// <param name="Url">The base URL to call.</param>
/// <param name="Token">The bearer token every <c>/v1</c> call needs.</param>
public sealed record ReadyLine(string Event, string Url, string Token);
