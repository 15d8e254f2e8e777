using System.Collections;
using CloudAssembly.Model.Checkpoints;
using CloudAssembly.TestSupport;
using static TorchSharp.torch;

namespace CloudAssembly.Model.Tests;

public class ReferenceCheckpointTests
{
    public static TheoryData<string> References => new() { "c1", "c3" };

    private static (string Path, VitConfig Config) Reference(string which) => which == "c1"
        ? (ReferenceFiles.Path1Channel, ReferenceFiles.Config1Channel)
        : (ReferenceFiles.Path3ChannelNoBias, ReferenceFiles.Config3ChannelNoBias);

    [Theory]
    [MemberData(nameof(References))]
    public void Stages_loaded_from_reference_reproduce_pytorch_logits(string which)
    {
        var (path, config) = Reference(which);
        var ckpt = TorchLoadReader.Read(path);
        using var model = new VisionTransformer(config);
        var stages = (IList)ckpt["model_stages"]!;
        for (var i = 0; i < stages.Count; i++)
            model.Stages[i].LoadStateDict(TorchLoadReader.StateDict(stages[i], $"model_stages[{i}]"), path);
        model.eval();
        var reference = (IDictionary)ckpt["reference"]!;
        using var _ = no_grad();
        var logits = model.call((Tensor)reference["input"]!);
        var expected = (Tensor)reference["logits"]!;
        var relative = ((logits - expected).norm() / expected.norm()).item<float>();
        Assert.True(relative < 1e-5, $"relative error {relative}");
    }
}
