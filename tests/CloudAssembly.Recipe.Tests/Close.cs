namespace CloudAssembly.Recipe.Tests;

/// <summary>Relative comparisons with the reference's numbers.</summary>
public static class Close
{
    /// <summary>|actual − expected| ≤ tolerance · |expected| (an exact match when expected is 0).</summary>
    public static void Relative(double expected, double actual, double tolerance, string what) =>
        Assert.True(Math.Abs(actual - expected) <= tolerance * Math.Abs(expected),
            $"{what}: expected {expected:R}, got {actual:R} (relative error {Math.Abs(actual - expected) / Math.Abs(expected):G3})");

    /// <summary>Element by element: |actual − expected| ≤ tolerance · |expected| + floor.</summary>
    public static void Elements(IReadOnlyList<double> expected, IReadOnlyList<double> actual, double tolerance, double floor, string what)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
            Assert.True(Math.Abs(actual[i] - expected[i]) <= tolerance * Math.Abs(expected[i]) + floor,
                $"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R}");
    }
}
