using System.Text.Json;
using System.Text.Json.Nodes;
using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Assembler;
using MassTransit.Serialization;
using Xunit.Abstractions;

namespace CloudAssembly.Orchestration.Tests;

public class RunSpecRulesTests(ITestOutputHelper output)
{
    private static readonly DataSources Sources = new(["/usr/share/datasets"], ["data.example.org"], "UseDevelopmentStorage=true");
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
        { "shards on a foreign https host", "r", Good with { DataSet = "SHARDS", DataPath = "https://127.0.0.1:18443#fmnist/v1" },
            "the SHARDS data path reads the blob store at 127.0.0.1:18443, which is neither this cluster's store nor an allowed data host (an operator can allow it in Assembler:AllowedDataHosts)." },
        { "shards through a foreign connection string", "r", Good with { DataSet = "SHARDS", DataPath = "BlobEndpoint=http://127.0.0.1:8444/evil;AccountName=evil;AccountKey=ZXZpbA==#fmnist/v1" },
            "reads the blob store at 127.0.0.1:8444, which is neither" },
        { "shards on the cluster's host at another port", "r", Good with { DataSet = "SHARDS", DataPath = "https://127.0.0.1:10001#fmnist/v1" }, "blob store at 127.0.0.1:10001" },
        { "shards over plain http", "r", Good with { DataSet = "SHARDS", DataPath = "http://data.example.org#fmnist/v1" }, "unsupported scheme 'http'" },
        { "a null recipe", "r", Good with { Modules = null! }, "Modules has no recipe; leave it out to take the default." },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void A_hostile_spec_is_refused_with_one_sentence_naming_what_is_wrong(string what, string runId, RunSpec spec, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => RunSpecRules.Validate(runId, spec, Sources));
        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain('\n', error.Message.Replace(runId, ""));
        Assert.DoesNotContain("ZXZpbA", error.Message);
        output.WriteLine($"BAD INPUT {what}: {error.Message}");
    }

    [Fact]
    public void The_demo_spec_a_phase_on_two_pods_and_datasets_in_the_clusters_store_or_on_an_allowed_host_pass()
    {
        RunSpecRules.Validate("fmnist-pods", Good with { Pretrain = Good.Pretrain with { Nodes = 2 } }, Sources);
        RunSpecRules.Validate("fmnist-demo", Good, Sources);
        foreach (var shards in new[]
                 {
                     "azure://cloudassembly#fmnist/v1", "UseDevelopmentStorage=true#fmnist/v1", "https://data.example.org#fmnist/v1",
                     "https://data.example.org:8443?container=data#fmnist/v1", "/data/blobs#fmnist/v1", "file:///data/blobs#fmnist/v1",
                 })
            RunSpecRules.Validate("fmnist-shards", Good with { DataSet = "SHARDS", DataPath = shards }, Sources);
    }

    [Fact]
    public void A_mistyped_field_in_a_submitted_spec_is_refused_naming_it_and_the_closest_setting()
    {
        var submit = AsReceived("""{"runId": "typo", "spec": {"model": "vit_mini_patch7_28", "trainLimt": 2000}}""");

        var error = Assert.Throws<ArgumentException>(() => RunSpecRules.Validate(submit.RunId, submit.Spec, Sources));

        Assert.Equal("Run 'typo' is refused: unknown field `trainLimt` in the spec; did you mean `trainLimit`?", error.Message);
    }

    [Fact]
    public void A_mistyped_field_in_a_phase_recipe_is_refused_with_the_recipes_setting()
    {
        var submit = AsReceived("""{"runId": "typo", "spec": {"finetune": {"epochs": 2, "clipgard": 1.0}}}""");

        var error = Assert.Throws<ArgumentException>(() => RunSpecRules.Validate(submit.RunId, submit.Spec, Sources));

        Assert.Equal("Run 'typo' is refused: unknown field `finetune.clipgard` in the spec; did you mean `finetune.clipGrad`?", error.Message);
    }

    [Fact]
    public void A_mistyped_member_of_the_SubmitRun_itself_is_refused_by_name()
    {
        var submit = AsReceived("""{"runId": "typo", "spce": {"model": "vit_mini_patch7_28"}}""");

        var error = Assert.Throws<ArgumentException>(() => RunSpecRules.Validate(submit, Sources));

        Assert.Equal("Run 'typo' is refused: unknown field `spce` in the SubmitRun; did you mean `spec`?", error.Message);
    }

    [Fact]
    public void A_phase_recipe_given_in_part_takes_the_rest_from_that_phases_default()
    {
        var demo = JsonSerializer.SerializeToNode(Good, JsonSerializerOptions.Web)!.AsObject();
        demo["pretrain"] = new JsonObject { ["epochs"] = 1 };
        var submit = AsReceived(new JsonObject { ["runId"] = "partial", ["spec"] = demo }.ToJsonString());

        RunSpecRules.Validate(submit.RunId, submit.Spec, Sources);

        Assert.Equal(new RunSpec().Pretrain with { Epochs = 1 }, submit.Spec.Pretrain);
        Assert.Equal(Good.Modules, submit.Spec.Modules);
    }

    /// <summary>A SubmitRun as the Assembler's bus reads it off the broker: MassTransit's own JSON settings.</summary>
    private static SubmitRun AsReceived(string json) =>
        JsonSerializer.Deserialize<SubmitRun>(json, SystemTextJsonMessageSerializer.Options)!;
}
