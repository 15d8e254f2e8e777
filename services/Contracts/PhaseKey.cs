using System.Globalization;

namespace CloudAssembly.Contracts;

/// <summary>One job of a run: a phase and, for MT, the module index. Its text form names the run's blob folder: PT, MT_2, FT, Eval, E2E.</summary>
public sealed record PhaseKey(PhaseKind Kind, int? Index = null)
{
    public static PhaseKey Pretrain { get; } = new(PhaseKind.PT);

    public static PhaseKey Finetune { get; } = new(PhaseKind.FT);

    public static PhaseKey Evaluate { get; } = new(PhaseKind.Eval);

    public static PhaseKey Baseline { get; } = new(PhaseKind.E2E);

    public static PhaseKey Module(int index) => new(PhaseKind.MT, index);

    public override string ToString() => Kind == PhaseKind.MT ? $"MT_{Index}" : Kind.ToString();

    public static PhaseKey Parse(string text)
    {
        if (text.StartsWith("MT_", StringComparison.Ordinal) && int.TryParse(text[3..], NumberStyles.None, CultureInfo.InvariantCulture, out var i))
            return Module(i);
        return Enum.TryParse<PhaseKind>(text, out var kind) && kind != PhaseKind.MT
            ? new PhaseKey(kind)
            : throw new FormatException($"'{text}' is not a phase (PT, MT_<i>, FT, Eval, E2E).");
    }
}
