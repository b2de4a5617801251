using Microsoft.Playwright;

namespace Hearsay.FunctionalTests.Page;

/// <summary>One Chromium for every page test; each test gets a fresh context (its own storage) through <see cref="OpenAsync"/>.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>Where each test leaves a screenshot of the page as it ended (or as it was when it failed).</summary>
    public static string ScreenshotDirectory => Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    public async Task InitializeAsync()
    {
        // Playwright's own browser download must never run; the tests use the system's Chromium.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        var microphone = Chromium.Jfk();
        _playwright = await Playwright.CreateAsync();
        _browser = await Chromium.LaunchAsync(_playwright, microphone);
        Assertions.SetDefaultExpectTimeout(20_000);
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    /// <summary>
    /// Opens <paramref name="url"/> in a new context, after running <paramref name="initScript"/> (if any) in it and
    /// letting <paramref name="prepare"/> set up the page (routes, say).
    /// </summary>
    internal async Task<PageUnderTest> OpenAsync(
        string url, string name, string? initScript = null, ColorScheme colorScheme = ColorScheme.Light, Func<IPage, Task>? prepare = null)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 800, Height = 900 },
            Permissions = ["microphone"],
            ColorScheme = colorScheme,
        });
        if (initScript is not null)
        {
            await context.AddInitScriptAsync(initScript);
        }

        var page = new PageUnderTest(context, await context.NewPageAsync(), Path.Combine(ScreenshotDirectory, name + ".png"));
        if (prepare is not null)
        {
            await prepare(page.Page);
        }

        await page.Page.GotoAsync(url);
        return page;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}

[CollectionDefinition(Collection)]
public sealed class BrowserFixtureDefinition : ICollectionFixture<BrowserFixture>
{
    /// <summary>Page tests run one at a time: each starts a server and drives one page, and the machine has two cores.</summary>
    public const string Collection = "Page";
}
