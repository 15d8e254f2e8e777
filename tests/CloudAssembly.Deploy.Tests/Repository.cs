namespace CloudAssembly.Deploy.Tests;

public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string K8s => Path.Combine(Root, "k8s");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Directory.Packages.props")) && Directory.Exists(Path.Combine(dir.FullName, "k8s")))
                return dir.FullName;
        }
        throw new DirectoryNotFoundException($"No repository root (Directory.Packages.props beside k8s/) above {AppContext.BaseDirectory}.");
    }
}
