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
}
