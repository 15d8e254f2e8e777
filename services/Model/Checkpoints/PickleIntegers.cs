using System.Numerics;

namespace CloudAssembly.Model.Checkpoints;

/// <summary>Integers out of a checkpoint's pickle (which holds them as int, long or, when huge, BigInteger).</summary>
internal static class PickleIntegers
{
    public static long Of(object? value, string what) => value switch
    {
        int i => i,
        long l => l,
        BigInteger b when b >= long.MinValue && b <= long.MaxValue => (long)b,
        _ => throw new InvalidDataException($"its {what} is {Describe(value)}, not an integer that fits 64 bits"),
    };

    public static long[] All(object? value, string what) => value is object[] items
        ? items.Length <= CheckpointLimits.MaxDimensions
            ? Array.ConvertAll(items, v => Of(v, what))
            : throw new InvalidDataException($"its {what} has {items.Length} dimensions, more than the {CheckpointLimits.MaxDimensions} a tensor may have")
        : throw new InvalidDataException($"its {what} is {Describe(value)}, not a tuple of integers");

    private static string Describe(object? value) => value is null ? "None" : $"{value} ({value.GetType().Name})";
}
