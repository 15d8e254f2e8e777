namespace CloudAssembly.TestSupport;

/// <summary>The repository the tests run from: its root (where CloudAssembly.sln is) and the build configuration.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration these tests run under (Debug or Release), so the services and the CLI they start come from the same build.</summary>
    public static string Configuration { get; } = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CloudAssembly.sln")))
                return dir.FullName;
        throw new DirectoryNotFoundException($"No CloudAssembly.sln above {AppContext.BaseDirectory}.");
    }
}
