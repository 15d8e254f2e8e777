using System.Diagnostics;
using System.Runtime.InteropServices;

namespace CloudAssembly.Orchestration.Trainer;

/// <summary>
/// What the user reads when an attempt fails. An error raised inside libtorch (TorchSharp passes it on as an
/// <see cref="ExternalException"/> carrying PyTorch's internal text and a native stack) is said in our words: where in
/// the step it happened, and that the trainer's log holds libtorch's own message (which the worker logs with the
/// exception). Any other error already speaks to the user and is passed on as it is.
/// </summary>
public static class AttemptFailureReason
{
    public static string For(Exception error, string trainer) =>
        error is ExternalException native
            ? $"libtorch stopped with an internal error in {Stage(native)}; trainer '{trainer}' logged its message."
            : error.Message;

    /// <summary>The part of the step the innermost frame of our code was in.</summary>
    private static string Stage(Exception error)
    {
        var methods = new StackTrace(error).GetFrames().Select(f => f.GetMethod()).OfType<System.Reflection.MethodBase>().ToList();
        if (methods.Any(m => m.Name == "backward" && m.DeclaringType?.Namespace?.StartsWith("TorchSharp", StringComparison.Ordinal) == true))
            return "the backward pass";
        var ours = methods.FirstOrDefault(m => m.DeclaringType?.Namespace?.StartsWith("CloudAssembly", StringComparison.Ordinal) == true);
        return (ours?.DeclaringType?.Name, ours?.Name) switch
        {
            (_, "forward") => "the forward pass",
            ("FlatAdamW", _) => "the optimizer step",
            ("Evaluator", _) => "the evaluation",
            ("Mixup", _) or ("SoftTargetCrossEntropy", _) => "the loss",
            ({ } type, _) when type.Contains("Checkpoint", StringComparison.Ordinal) => "checkpointing",
            _ => "a tensor operation",
        };
    }
}
