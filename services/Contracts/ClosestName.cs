namespace CloudAssembly.Contracts;

/// <summary>The known name a mistyped one was most likely meant to be: fewest single-letter edits, ignoring case.</summary>
public static class ClosestName
{
    public static string Among(string typed, IEnumerable<string> known) =>
        known.MinBy(name => Distance(typed.ToLowerInvariant(), name.ToLowerInvariant()))
        ?? throw new ArgumentException("There is no known name to compare with.", nameof(known));

    /// <summary>Levenshtein distance: insertions, deletions and substitutions.</summary>
    public static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            previous = current;
        }
        return previous[b.Length];
    }
}
