using System.Reflection;

namespace Hearsay.Core;

/// <summary>Hearsay's version, as every project of one build carries it.</summary>
public static class HearsayVersion
{
    /// <summary>The informational version, with the source revision after a <c>+</c> when the build knows it; <c>dev</c> otherwise.</summary>
    public static string Informational { get; } =
        typeof(HearsayVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "dev";

    /// <summary>The version without the source revision, e.g. <c>1.0.0</c>.</summary>
    public static string Release { get; } = Informational.Split('+')[0];

    /// <summary>What Hearsay calls itself in HTTP requests (<c>Hearsay/1.0.0</c>), so hosts and mirrors can tell its downloads apart.</summary>
    public static string UserAgent { get; } = $"Hearsay/{Release}";
}
