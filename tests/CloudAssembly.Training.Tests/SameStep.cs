using System.Collections;
using CloudAssembly.Model.Checkpoints;
using CloudAssembly.Training.Checkpoints;
using static TorchSharp.torch;

namespace CloudAssembly.Training.Tests;

/// <summary>
/// Whether two one-step phases took the same step: AdamW's first moments after one step are (1 − β1) × the step's
/// gradient, so comparing them compares the gradients, within float tolerance (ranks may sum in another order).
/// </summary>
internal static class SameStep
{
    /// <summary>Every optimized tensor's first moment in the phase's finished checkpoint, flattened in order.</summary>
    private static Tensor FirstMoments(string folder)
    {
        var checkpoint = TorchLoadReader.Read(Path.Combine(folder, CheckpointDirectory.FinishedName));
        var state = (IDictionary)((IDictionary)checkpoint["optimizer"]!)["state"]!;
        return cat([.. state.Keys.Cast<object>().OrderBy(Convert.ToInt32).Select(k => ((Tensor)((IDictionary)state[k]!)["exp_avg"]!).flatten())]);
    }

    /// <summary>The two folders' steps differ by at most 1e-5 of the step's norm; <paramref name="between"/> names the two runs.</summary>
    public static void Assert(string expected, string actual, string between)
    {
        var a = FirstMoments(expected);
        var b = FirstMoments(actual);
        var error = (a - b).norm().item<float>();
        var scale = a.norm().item<float>();
        Xunit.Assert.True(scale > 0);
        Xunit.Assert.True(error <= 1e-5 * scale, $"|Δgrad| {error} vs |grad| {scale} between {between}");
    }
}
