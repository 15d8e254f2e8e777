using System.Text.RegularExpressions;

namespace CloudAssembly.Orchestration.Runs;

/// <summary>Run ids are chosen by clients and become blob folder names: lowercase letters, digits and dashes, 1–63 of them.</summary>
public static partial class RunId
{
    public static bool IsValid(string runId) => runId is not null && Pattern().IsMatch(runId);

    public static void Validate(string runId)
    {
        if (!IsValid(runId))
            throw new ArgumentException($"Run id '{runId}' is not valid: use 1-63 lowercase letters, digits and dashes, starting with a letter or digit.");
    }

    public static string New(string prefix = "run") => $"{prefix}-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}";

    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]{0,62}\z")]
    private static partial Regex Pattern();
}
