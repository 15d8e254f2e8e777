using System.Globalization;

namespace CloudAssembly.Data.Shards;

/// <summary>
/// The most bytes a cache folder may hold: <c>CLOUDASSEMBLY_CACHE_MAX_BYTES</c>, in bytes or with a Kubernetes binary
/// suffix (<c>180Gi</c>), so a manifest can set it in the same units as its volume's <c>sizeLimit</c>.
/// </summary>
public static class CacheBound
{
    public const string Variable = "CLOUDASSEMBLY_CACHE_MAX_BYTES";

    /// <summary>Unbounded unless the variable is set.</summary>
    public static long FromEnvironment() =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? Parse(value, Variable) : long.MaxValue;

    public static long Parse(string value, string what)
    {
        var text = value.Trim();
        var (digits, shift) = text.EndsWith("Ki", StringComparison.Ordinal) ? (text[..^2], 10)
            : text.EndsWith("Mi", StringComparison.Ordinal) ? (text[..^2], 20)
            : text.EndsWith("Gi", StringComparison.Ordinal) ? (text[..^2], 30)
            : text.EndsWith("Ti", StringComparison.Ordinal) ? (text[..^2], 40)
            : (text, 0);
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1 || number > long.MaxValue >> shift)
            throw new ArgumentException($"{what} '{value}' is not a size: give bytes, or a number with Ki, Mi, Gi or Ti (for example 180Gi).");
        return number << shift;
    }
}
