using Hearsay.Testing;
using Microsoft.Playwright;

namespace Hearsay.FunctionalTests.Page;

/// <summary>
/// Debian's <c>chromium</c>, driven by Playwright through <c>ExecutablePath</c>: Playwright never downloads a browser.
/// <c>HEARSAY_CHROMIUM</c> names another Chromium build.
/// </summary>
internal static class Chromium
{
    public const string PathVariable = "HEARSAY_CHROMIUM";
    private const string DefaultPath = "/usr/bin/chromium";

    /// <summary>The browser program; fails naming the package when it is missing.</summary>
    public static string ExecutablePath()
    {
        var path = Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } configured ? configured : DefaultPath;
        return File.Exists(path)
            ? path
            : throw new InvalidOperationException(
                $"Chromium is not at {path}: the page tests need it. Install it with 'apt-get install chromium', or set {PathVariable} to a Chromium program.");
    }

    /// <summary>
    /// Starts headless Chromium. Its microphone is a fake one that plays <paramref name="microphoneWav"/> (loops), and
    /// permission prompts are answered yes, so recording works without a person.
    /// </summary>
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright, string microphoneWav) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath(),
            Headless = true,
            // CI runs as root, where Chromium's sandbox cannot start.
            ChromiumSandbox = false,
            Args =
            [
                "--no-sandbox",
                "--use-fake-device-for-media-stream",
                "--use-fake-ui-for-media-stream",
                $"--use-file-for-fake-audio-capture={microphoneWav}",
                "--autoplay-policy=no-user-gesture-required",
            ],
        });

    /// <summary>The recording the fake microphone plays: JFK's 11 s, as for the upload test.</summary>
    public static string Jfk() => TestPaths.SharedFile("audio", "wav16k", "jfk.wav");
}
