using CloudAssembly.Contracts;
using CloudAssembly.Data.Shards;
using CloudAssembly.Pipeline;
using CloudAssembly.Training;
using CloudAssembly.Training.Engine;

namespace CloudAssembly.Data.Tests.Shards;

public class TrainingFromShardsTests
{
    [Fact]
    public async Task A_small_ViT_learns_Fashion_MNIST_streamed_from_shards_in_a_folder_store()
    {
        var storeFolder = TestSources.TempFolder("store");
        var source = DatasetSource.Open(TestSources.FashionMnistSlice(10_000, 2_000), "FMNIST");
        await DatasetBuilder.BuildAsync(source, Storage.BlobStores.Open(storeFolder), "fmnist", "v1", new ShardOptions { ShardBytes = 4 << 20 });
        // The embedded demo's recipe, on its meta model trained end to end, reading the shards.
        var options = PhasePlanner.Pretrain(RunSpec.FashionMnistDemo(), TestSources.TempFolder("phase"), "cpu") with
        {
            Phase = Phase.E2E,
            DataSet = "SHARDS",
            DataPath = DatasetLocation.Format(storeFolder, DatasetLocation.DefaultContainer, "fmnist", "v1"),
            Epochs = 2,
            TrainLimit = 0,
            NumWorkers = 2,
            Seed = 3,
        };
        var cache = Environment.GetEnvironmentVariable(ShardCache.FolderVariable);
        Environment.SetEnvironmentVariable(ShardCache.FolderVariable, TestSources.TempFolder("cache"));
        try
        {
            var result = new PhaseRunner(options, PhaseDataFactory.Create).Run();
            Assert.Equal(2, result.EpochsTrained);
            Assert.Equal(2_000, result.FinalEval!.Images);
            Assert.True(result.FinalEval.Acc1 > 60.0, $"top-1 {result.FinalEval.Acc1:F2}% after 2 epochs of 10k images from shards");
        }
        finally
        {
            Environment.SetEnvironmentVariable(ShardCache.FolderVariable, cache);
        }
    }
}
