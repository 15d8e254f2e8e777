using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Assembler;
using Xunit.Abstractions;

namespace CloudAssembly.Orchestration.Tests;

public class RunSpecRulesTests(ITestOutputHelper output)
{
    private static readonly string[] Roots = ["/usr/share/datasets"];
    private static readonly RunSpec Good = RunSpec.FashionMnistDemo();

    public static TheoryData<string, string, RunSpec, string> Hostile => new()
    {
        { "unknown model", "r", Good with { Model = "vit_gigantic" }, "model 'vit_gigantic' is not known" },
        { "K = 0", "r", Good with { Depths = [], MetaDepths = [] }, "must list the same number of modules" },
        { "K too large", "r", Good with { Depths = [.. Enumerable.Repeat(1, 17)], MetaDepths = [.. Enumerable.Repeat(1, 17)] }, "1 to 16" },
        { "depths and meta depths differ in count", "r", Good with { MetaDepths = [1, 1] }, "must list the same number of modules" },
        { "a meta depth larger than its module", "r", Good with { MetaDepths = [3, 1, 1, 1] }, "1 ≤ meta depth ≤ depth" },
        { "a module of depth 0", "r", Good with { Depths = [0, 2, 2, 2] }, "1 ≤ meta depth ≤ depth" },
        { "far too deep", "r", Good with { Depths = [60, 2, 2, 2] }, "at most 64 blocks" },
        { "input size of another model", "r", Good with { InputSize = 224 }, $"does not fit {Good.Model}" },
        { "zero epochs", "r", Good with { Modules = Good.Modules with { Epochs = 0 } }, "Modules has 0 epochs" },
        { "negative epochs", "r", Good with { Pretrain = Good.Pretrain with { Epochs = -3 } }, "Pretrain has -3 epochs" },
        { "a huge batch", "r", Good with { Finetune = Good.Finetune with { BatchSize = 1 << 20 } }, "Finetune has batch size 1048576" },
        { "a NaN lr", "r", Good with { Pretrain = Good.Pretrain with { Lr = double.NaN } }, "finite lr > 0" },
        { "drop path of 1", "r", Good with { Baseline = Good.Finetune with { DropPath = 1 } }, "Baseline needs a finite lr" },
        { "a phase over more pods than allowed", "r", Good with { Finetune = Good.Finetune with { Nodes = 65 } }, "Finetune asks for 65 nodes × 1 devices; use 1 to 64 nodes" },
        { "no devices", "r", Good with { Pretrain = Good.Pretrain with { DevicesPerNode = 0 } }, "use 1 to 64 nodes and 1 to 64 devices per node" },
        { "data outside the roots", "r", Good with { DataPath = "/etc" }, "data path '/etc' is not under a data root" },
        { "data escaping a root", "r", Good with { DataPath = "/usr/share/datasets/../../../etc" }, "is not under a data root" },
        { "a relative data path", "r", Good with { DataPath = "datasets/fashion-mnist" }, "is not under a data root" },
        { "a negative train limit", "r", Good with { TrainLimit = -1 }, "TrainLimit and EvalLimit" },
        { "run id with a trailing newline", "run-1\n", Good, "Run id 'run-1\n' is not valid" },
        { "run id with a slash", "../x", Good, "is not valid" },
        { "run id too long", new string('a', 64), Good, "is not valid" },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void A_hostile_spec_is_refused_with_one_sentence_naming_what_is_wrong(string what, string runId, RunSpec spec, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => RunSpecRules.Validate(runId, spec, Roots));
        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain('\n', error.Message.Replace(runId, ""));
        output.WriteLine($"BAD INPUT {what}: {error.Message}");
    }

    [Fact]
    public void The_demo_spec_a_sharded_dataset_and_a_phase_on_two_pods_pass()
    {
        RunSpecRules.Validate("fmnist-pods", Good with { Pretrain = Good.Pretrain with { Nodes = 2 } }, Roots);
        RunSpecRules.Validate("fmnist-demo", Good, Roots);
        RunSpecRules.Validate("fmnist-shards", Good with { DataSet = "SHARDS", DataPath = "cloudassembly/datasets/fmnist/v1" }, Roots);
    }
}
