using Hearsay.FunctionalTests.Server;
using static Microsoft.Playwright.Assertions;

namespace Hearsay.FunctionalTests.Page;

[Collection(BrowserFixtureDefinition.Collection)]
public class TokenPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task Open_WithoutAToken_AsksForItAndConnectsWithIt()
    {
        await using var server = await ServerUnderTest.StartAsync(install: false);
        await using var page = await browser.OpenAsync(server.BaseUrl.AbsoluteUri, "token-form");

        await Expect(page["#token-panel"]).ToBeVisibleAsync();
        await Expect(page["#voice-panel"]).ToBeHiddenAsync();
        await Expect(page["#token-input"]).ToBeFocusedAsync();
        await page.ScreenshotAsync("asked");
        await page["#token-input"].FillAsync(server.Ready.Token);
        await page["#token-input"].PressAsync("Enter");

        await Expect(page["#voice-panel"]).ToBeVisibleAsync();
        await Expect(page["#token-panel"]).ToBeHiddenAsync();
        await Expect(page["#stt-status .state"]).ToHaveTextAsync("Not downloaded");
        page.AssertNoProblems();
    }

    [Fact]
    public async Task Open_WithAWrongToken_SaysItWasRefusedAndAsksAgain()
    {
        await using var server = await ServerUnderTest.StartAsync(install: false);
        await using var page = await browser.OpenAsync(PageUrls.WithToken(server, "not-this-servers-token"), "token-refused");

        await Expect(page["#token-message"]).ToContainTextAsync("The token was refused");
        await Expect(page["#token-panel"]).ToBeVisibleAsync();
        await Expect(page["#voice-panel"]).ToBeHiddenAsync();
        Assert.Null(await page.Page.EvaluateAsync<string?>("() => sessionStorage.getItem('hearsay.token')"));
        page.AssertNoProblems();
    }

    [Fact]
    public async Task Open_WithTheTokenInTheFragment_RemovesItFromTheAddressAndKeepsItForReloads()
    {
        await using var server = await ServerUnderTest.StartAsync(install: false);
        await using var page = await browser.OpenAsync(PageUrls.WithToken(server), "token-fragment");

        await Expect(page["#voice-panel"]).ToBeVisibleAsync();
        Assert.Equal(server.BaseUrl.AbsoluteUri, page.Page.Url);
        Assert.DoesNotContain(server.Ready.Token, await page.Page.EvaluateAsync<string>("() => location.href"), StringComparison.Ordinal);
        await page.Page.ReloadAsync();
        await Expect(page["#voice-panel"]).ToBeVisibleAsync();
        await Expect(page["#token-panel"]).ToBeHiddenAsync();
        page.AssertNoProblems();
    }

    [Fact]
    public async Task Open_WithAnElectronBridge_UsesItsToken()
    {
        await using var server = await ServerUnderTest.StartAsync(install: false);
        var bridge = $"window.hearsayBridge = {{ baseUrl: '{server.BaseUrl.AbsoluteUri}', token: '{server.Ready.Token}' }};";
        await using var page = await browser.OpenAsync(server.BaseUrl.AbsoluteUri, "token-bridge", bridge);

        await Expect(page["#voice-panel"]).ToBeVisibleAsync();
        await Expect(page["#token-panel"]).ToBeHiddenAsync();
        page.AssertNoProblems();
    }
}
