using PuppeteerSharp;

namespace CloudAssembly.Reporting.Tests;

/// <summary>
/// The system's Chromium (Debian's <c>chromium</c>, which eng/test.sh installs), driven by PuppeteerSharp; nothing is
/// downloaded. <c>CHROMIUM_PATH</c> points elsewhere when the browser lives elsewhere.
/// </summary>
public static class HeadlessBrowser
{
    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path
        : new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists)
          ?? throw new InvalidOperationException("No Chromium found: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH.");

    public static Task<IBrowser> LaunchAsync() => Puppeteer.LaunchAsync(new LaunchOptions
    {
        ExecutablePath = ExecutablePath,
        Headless = true,
        // Root in a container has no user namespace for Chromium's sandbox; the page is our own file.
        Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
    });
}
