using Hearsay.Core.Models.Catalog;
using Hearsay.Testing;

namespace Hearsay.Core.Tests.Models;

public class CatalogNoticesTests
{
    [Fact]
    public void ThirdPartyNotices_EveryCatalogModel_IsListedWithItsSource()
    {
        var catalog = ModelCatalog.BuiltIn;
        var notices = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "THIRD-PARTY-NOTICES.md"));

        Assert.All(catalog.Models, model =>
        {
            var row = notices.Split('\n').FirstOrDefault(line => line.StartsWith($"| `{model.Id}` |", StringComparison.Ordinal));
            Assert.True(row is not null, $"THIRD-PARTY-NOTICES.md has no row for catalog model {model.Id}");
            Assert.Contains("MIT", row, StringComparison.Ordinal);
        });
    }
}
