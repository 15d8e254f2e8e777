using System.Collections;
using CloudAssembly.Model;
using CloudAssembly.Model.Checkpoints;
using CloudAssembly.TestSupport;
using static TorchSharp.torch;

namespace CloudAssembly.Training.Tests;

/// <summary>The 1-channel PyTorch reference checkpoint: its config, stages and input.</summary>
public static class ReferenceFixtures
{
    private static readonly Hashtable Checkpoint = TorchLoadReader.Read(ReferenceFiles.Path1Channel);

    public static VitConfig Config => ReferenceFiles.Config1Channel;

    public static IReadOnlyList<Dictionary<string, Tensor>> Stages =>
        [.. ((IList)Checkpoint["model_stages"]!).Cast<object>().Select(s => TorchLoadReader.StateDict(s, "reference"))];

    public static Tensor Input => (Tensor)((IDictionary)Checkpoint["reference"]!)["input"]!;
}
