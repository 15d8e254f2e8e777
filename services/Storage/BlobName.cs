namespace CloudAssembly.Storage;

/// <summary>
/// The one set of name rules for every backend, so a name that works in the folder store also works in Azure and back.
/// </summary>
public static class BlobName
{
    /// <summary>
    /// Segments starting with this are the folder store's own temporary and lock files; no blob may use it, which is
    /// what keeps them out of listings.
    /// </summary>
    public const string ReservedSegmentPrefix = ".~";

    public static void Validate(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var problem = Problem(name);
        if (problem is not null)
            throw new ArgumentException($"Invalid blob name '{name}': {problem}.", nameof(name));
    }

    public static void ValidatePrefix(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (prefix.Contains('\\') || prefix.Contains('\0') || prefix.StartsWith('/'))
            throw new ArgumentException($"Invalid blob prefix '{prefix}': use '/' between segments and no leading '/'.", nameof(prefix));
    }

    private static string? Problem(string name)
    {
        if (name.Length == 0) return "it is empty";
        if (name.Length > 1024) return "it is longer than 1024 characters";
        if (name.Contains('\\') || name.Contains('\0')) return "use '/' between segments, not '\\'";
        foreach (var segment in name.Split('/'))
        {
            if (segment.Length == 0) return "it has an empty segment (a leading, trailing or doubled '/')";
            if (segment is "." or "..") return "'.' and '..' segments are not allowed";
            if (segment.StartsWith(ReservedSegmentPrefix, StringComparison.Ordinal))
                return $"segments starting with '{ReservedSegmentPrefix}' are reserved for the folder store's temporary files";
        }
        return null;
    }
}
