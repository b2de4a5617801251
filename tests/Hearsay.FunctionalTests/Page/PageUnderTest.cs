using Microsoft.Playwright;

namespace Hearsay.FunctionalTests.Page;

/// <summary>
/// The page in its own browser context. It records script errors and content-security-policy violations, which fail
/// the test, and leaves a screenshot when disposed.
/// </summary>
internal sealed class PageUnderTest : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly string _screenshot;
    private readonly List<string> _problems = [];

    public PageUnderTest(IBrowserContext context, IPage page, string screenshot)
    {
        _context = context;
        _screenshot = screenshot;
        Page = page;
        page.PageError += (_, error) => Record($"script error: {error}");
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                Record($"CSP violation: {message.Text}");
            }
        };
    }

    public IPage Page { get; }

    public ILocator this[string selector] => Page.Locator(selector);

    /// <summary>Saves a screenshot now, named after the test's one plus <paramref name="suffix"/>.</summary>
    public Task ScreenshotAsync(string suffix) =>
        Page.ScreenshotAsync(new PageScreenshotOptions { Path = _screenshot.Replace(".png", $"-{suffix}.png", StringComparison.Ordinal), FullPage = true });

    /// <summary>Fails when the page threw or broke its content security policy.</summary>
    public void AssertNoProblems()
    {
        lock (_problems)
        {
            Assert.True(_problems.Count == 0, "The page had problems:\n" + string.Join('\n', _problems));
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Page.ScreenshotAsync(new PageScreenshotOptions { Path = _screenshot, FullPage = true });
        }
        finally
        {
            await _context.CloseAsync();
        }
    }

    private void Record(string problem)
    {
        lock (_problems)
        {
            _problems.Add(problem);
        }
    }
}
