namespace CloudAssembly.AppHost;

/// <summary>Finds a program the way a shell would (PATH), plus folders that root's PATH has but others' may lack.</summary>
public static class ExecutableLocator
{
    public static string? Find(string program, params string[] extraFolders) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(extraFolders)
            .Select(folder => Path.Combine(folder, program))
            .FirstOrDefault(File.Exists);
}
