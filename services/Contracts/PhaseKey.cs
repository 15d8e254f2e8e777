using System.Globalization;

namespace CloudAssembly.Contracts;

/// <summary>
/// One job of a run: a phase and, for MT, the module index. Its text form names the run's blob folder: PT, MT_2, FT,
/// Eval, E2E. Keys sort in the order the method runs them: PT, MT_0..MT_K-1, FT, Eval, then the E2E baseline.
/// </summary>
public sealed record PhaseKey(PhaseKind Kind, int? Index = null) : IComparable<PhaseKey>
{
    public static PhaseKey Pretrain { get; } = new(PhaseKind.PT);

    public static PhaseKey Finetune { get; } = new(PhaseKind.FT);

    public static PhaseKey Evaluate { get; } = new(PhaseKind.Eval);

    public static PhaseKey Baseline { get; } = new(PhaseKind.E2E);

    public static PhaseKey Module(int index) => new(PhaseKind.MT, index);

    public override string ToString() => Kind == PhaseKind.MT ? $"MT_{Index}" : Kind.ToString();

    public int CompareTo(PhaseKey? other) => other is null ? 1 : (RunOrder(Kind), Index ?? 0).CompareTo((RunOrder(other.Kind), other.Index ?? 0));

    private static int RunOrder(PhaseKind kind) => kind switch
    {
        PhaseKind.PT => 0,
        PhaseKind.MT => 1,
        PhaseKind.FT => 2,
        PhaseKind.Eval => 3,
        _ => 4,
    };

    public static PhaseKey Parse(string text)
    {
        if (text.StartsWith("MT_", StringComparison.Ordinal) && int.TryParse(text[3..], NumberStyles.None, CultureInfo.InvariantCulture, out var i))
            return Module(i);
        return Enum.TryParse<PhaseKind>(text, out var kind) && kind != PhaseKind.MT
            ? new PhaseKey(kind)
            : throw new FormatException($"'{text}' is not a phase (PT, MT_<i>, FT, Eval, E2E).");
    }
}
