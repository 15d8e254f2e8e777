using System.Globalization;
using CloudAssembly.Contracts;

namespace CloudAssembly.Orchestration.Runs;

/// <summary>
/// Which attempt a one-shot trainer runs, as the Assembler writes it into a Job's container arguments:
/// <c>attempt --run-id R --phase P --attempt-id A --generation G</c>. It names the attempt only: what the attempt
/// trains (spec, dataset, inputs, number of nodes) is read from <c>run.json</c>, never from the arguments.
/// </summary>
public sealed record AttemptArguments(string RunId, PhaseKey Phase, string AttemptId, int Generation)
{
    public const string Verb = "attempt";

    public static bool AreGiven(IReadOnlyList<string> args) => args.Count > 0 && args[0] == Verb;

    public IReadOnlyList<string> ToArgs() =>
        [Verb, "--run-id", RunId, "--phase", Phase.ToString(), "--attempt-id", AttemptId, "--generation", Generation.ToString(CultureInfo.InvariantCulture)];

    /// <summary>Reads what <see cref="ToArgs"/> wrote; anything else is refused naming the argument.</summary>
    public static AttemptArguments Parse(IReadOnlyList<string> args)
    {
        if (!AreGiven(args))
            throw new ArgumentException($"A one-shot trainer starts with '{Verb}'; got '{string.Join(' ', args)}'.");
        var values = new Dictionary<string, string>();
        for (var i = 1; i < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
                throw new ArgumentException($"Attempt argument '{args[i]}' has no value: expected --run-id, --phase, --attempt-id and --generation, each with a value.");
            values[args[i][2..]] = args[i + 1];
        }
        string Value(string name) => values.TryGetValue(name, out var v) ? v
            : throw new ArgumentException($"Attempt argument --{name} is missing: expected --run-id, --phase, --attempt-id and --generation.");
        var runId = Value("run-id");
        Orchestration.Runs.RunId.Validate(runId);
        if (!PhaseKey.TryParse(Value("phase"), out var phase))
            throw new ArgumentException($"Attempt argument --phase '{Value("phase")}' is not a phase (PT, MT_<i>, FT, Eval, E2E).");
        if (!int.TryParse(Value("generation"), NumberStyles.None, CultureInfo.InvariantCulture, out var generation) || generation < 1)
            throw new ArgumentException($"Attempt argument --generation '{Value("generation")}' is not a positive number.");
        var unknown = values.Keys.Except(["run-id", "phase", "attempt-id", "generation"]).FirstOrDefault();
        if (unknown is not null)
            throw new ArgumentException($"Unknown attempt argument --{unknown}: expected --run-id, --phase, --attempt-id and --generation.");
        return new AttemptArguments(runId, phase, Value("attempt-id"), generation);
    }
}
