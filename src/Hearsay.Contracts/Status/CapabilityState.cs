using System.Text.Json.Serialization;

namespace Hearsay.Contracts.Status;

/// <summary>Where a capability (speech-to-text or text-to-speech) stands.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CapabilityState>))]
public enum CapabilityState
{
    /// <summary>Turned off by configuration.</summary>
    [JsonStringEnumMemberName("disabled")]
    Disabled,

    /// <summary>Its model is not in the store; a download would fix that.</summary>
    [JsonStringEnumMemberName("not_installed")]
    NotInstalled,

    /// <summary>Its model is being downloaded (see the status's download progress).</summary>
    [JsonStringEnumMemberName("downloading")]
    Downloading,

    /// <summary>Its model is installed and being loaded.</summary>
    [JsonStringEnumMemberName("loading")]
    Loading,

    /// <summary>Requests are served.</summary>
    [JsonStringEnumMemberName("ready")]
    Ready,

    /// <summary>Loading or downloading failed; the reason says why.</summary>
    [JsonStringEnumMemberName("error")]
    Error,

    /// <summary>A dependency (such as the espeak-ng program) is missing; the reason says which and how to get it.</summary>
    [JsonStringEnumMemberName("unavailable")]
    Unavailable,
}
