using System.Xml.Linq;
using Hearsay.Testing;

namespace Hearsay.FunctionalTests;

/// <summary>What the project files promise about each other.</summary>
public sealed class ProjectFilesTests
{
    [Fact]
    public void InternalsVisibleTo_EveryEntry_NamesAnotherProjectOfTheSolution()
    {
        var solution = XDocument.Load(Path.Combine(TestPaths.RepoRoot, "Hearsay.slnx"));
        var projects = solution.Descendants("Project").Select(p => p.Attribute("Path")!.Value.Replace('\\', '/')).ToList();
        var names = projects.Select(AssemblyName).ToHashSet(StringComparer.Ordinal);

        var wrong = (
            from project in projects
            let name = AssemblyName(project)
            from entry in XDocument.Load(Path.Combine(TestPaths.RepoRoot, project)).Descendants("InternalsVisibleTo")
            let friend = entry.Attribute("Include")!.Value
            where !names.Contains(friend) || friend == name
            select $"{project} names {friend}").ToList();

        Assert.True(projects.Count > 5, "the solution lists its projects");
        Assert.True(wrong.Count == 0, "InternalsVisibleTo entries that name no other project: " + string.Join("; ", wrong));
    }

    /// <summary>The assembly a project builds: its AssemblyName (the CLI's is <c>hearsay</c>), else its file's name.</summary>
    private static string AssemblyName(string project) =>
        XDocument.Load(Path.Combine(TestPaths.RepoRoot, project)).Descendants("AssemblyName").FirstOrDefault()?.Value
        ?? Path.GetFileNameWithoutExtension(project);
}
