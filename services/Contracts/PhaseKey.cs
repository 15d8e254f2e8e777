using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json.Serialization;

namespace CloudAssembly.Contracts;

/// <summary>
/// One job of a run: a phase and, for MT, the module index. Its text form, the only one there is, names the run's blob
/// folder and travels in messages, <c>run.json</c> and pointers: PT, MT_2, FT, Eval, E2E. Text is parsed once, where
/// it enters (a message, a file, the command line), and only in that canonical form, so one phase never has two names
/// (<c>MT_01</c> or <c>0</c> are refused). Keys sort in the order the method runs them: PT, MT_0..MT_K-1, FT, Eval,
/// then the E2E baseline.
/// </summary>
[JsonConverter(typeof(PhaseKeyJsonConverter))]
public sealed record PhaseKey : IComparable<PhaseKey>
{
    private PhaseKey(PhaseKind kind, int? index)
    {
        Kind = kind;
        Index = index;
    }

    public PhaseKind Kind { get; }

    /// <summary>The module index of an MT job; null for every other kind.</summary>
    public int? Index { get; }

    public static PhaseKey Pretrain { get; } = new(PhaseKind.PT, null);

    public static PhaseKey Finetune { get; } = new(PhaseKind.FT, null);

    public static PhaseKey Eval { get; } = new(PhaseKind.Eval, null);

    public static PhaseKey Baseline { get; } = new(PhaseKind.E2E, null);

    public static PhaseKey Module(int index) =>
        index >= 0 ? new(PhaseKind.MT, index) : throw new ArgumentOutOfRangeException(nameof(index), index, "A module index is 0 or more.");

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

    public static PhaseKey Parse(string text) =>
        TryParse(text, out var key) ? key : throw new FormatException($"'{text}' is not a phase (PT, MT_<i>, FT, Eval, E2E).");

    /// <summary>Reads the canonical form only: <c>MT_</c> and a module index without sign or leading zeros, or one of the other kinds' names.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out PhaseKey? key)
    {
        key = text switch
        {
            "PT" => Pretrain,
            "FT" => Finetune,
            "Eval" => Eval,
            "E2E" => Baseline,
            ['M', 'T', '_', .. var digits] when IsIndex(digits) => Module(int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture)),
            _ => null,
        };
        return key is not null;
    }

    private static bool IsIndex(string digits) =>
        digits.Length is > 0 and <= 4 && digits.All(char.IsAsciiDigit) && (digits == "0" || digits[0] != '0');
}
