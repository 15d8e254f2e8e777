using CloudAssembly.Contracts;
using CloudAssembly.Model;
using CloudAssembly.Orchestration.Assembler;
using CloudAssembly.Orchestration.Runs;
using CloudAssembly.Storage;
using CloudAssembly.Training.Checkpoints;
using CloudAssembly.Training.Optimization;
using static TorchSharp.torch;

namespace CloudAssembly.Orchestration.Tests;

/// <summary>Two Assemblers assembling one run's modules at once (a rollout), on a real folder blob store.</summary>
public sealed class ModelAssemblyServiceTests : IDisposable
{
    private static readonly RunSpec Spec = RunSpec.FashionMnistDemo() with { Depths = [1, 1] };
    private readonly string folder = Path.Combine(Path.GetTempPath(), $"assembly-tests-{Guid.NewGuid():N}");
    private readonly FolderBlobStore store;
    private readonly PointerStore pointers;

    public ModelAssemblyServiceTests()
    {
        store = new FolderBlobStore(Path.Combine(folder, "blobs"));
        pointers = new PointerStore(store);
    }

    [Fact]
    public async Task Two_Assemblers_at_once_publish_one_assembled_model_and_both_hand_out_that_one()
    {
        for (var i = 0; i < Spec.NumModules; i++)
            await StoreModuleAsync(i);
        var run = new RunDocument { RunId = "r", Spec = Spec };
        // Both upload their own copy before either publishes it: they certainly race on the pointer.
        var racing = new MeetingBlobStore(store, "/assembled.pth", parties: 2);
        ModelAssemblyService Assembler(string name, IBlobStore blobs) =>
            new(blobs, new PointerStore(blobs), new AssemblerOptions { WorkFolder = Path.Combine(folder, name) });

        var handed = await Task.WhenAll(Assembler("assembler-1", racing).AssembleAsync(run, default), Assembler("assembler-2", racing).AssembleAsync(run, default));

        var published = (await pointers.TryReadAsync(BlobLayout.AssembledPointer("r"), default))!.Value.Pointer.Finished;
        Assert.All(handed, h => Assert.Equal(published, h));
        var copies = new List<string>();
        await foreach (var blob in store.ListAsync("runs/r/assembled/"))
            copies.Add(blob.Name);
        Assert.Equal(new[] { BlobLayout.AssembledPointer("r"), published! }.Order(), copies.Order());
        Assert.Equal(published, await Assembler("assembler-3", store).AssembleAsync(run, default));
    }

    /// <summary>Module <paramref name="index"/>'s finished checkpoint, published through its pointer as its trainer would.</summary>
    private async Task StoreModuleAsync(int index)
    {
        var phase = PhaseKey.Module(index);
        var config = ModelCatalog.Create(Spec.Model, 10, Spec.Depths);
        using var network = new VisionTransformer(config, new TorchSharp.torch.Generator().manual_seed(index));
        var local = Path.Combine(folder, $"{phase}.pth");
        Directory.CreateDirectory(folder);
        PhaseCheckpoint.Save(PhaseCheckpoint.Build(network, null, new CosineSchedule(1e-3, 1e-5, 1e-6, 0, 1), 0,
            new CheckpointMetadata(Spec.Model, Spec.Depths, 10, "MT", index, config.ImageSize)), local);
        var blob = BlobLayout.Finished("r", phase, 1);
        await store.UploadFileAsync(blob, local, createOnly: true);
        await pointers.FenceAsync(BlobLayout.Pointer("r", phase), 1, default);
        await pointers.PublishAsync(BlobLayout.Pointer("r", phase), 1, p => p with { Finished = blob }, _ => Task.CompletedTask, default);
    }

    public void Dispose()
    {
        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);
    }
}
