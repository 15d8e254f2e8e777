using CloudAssembly.Training.Engine;

namespace CloudAssembly.Training.Tests;

/// <summary>
/// Training while the garbage collector runs as often as it can. A TorchSharp <c>Scalar</c> made on the fly (the
/// <c>1</c> that <c>a + b</c> passes as alpha, the <c>0.5</c> of <c>x * 0.5</c>) is unreachable as soon as its handle
/// has been read, so a collection during the native call can run its finalizer and free the native scalar that libtorch
/// is about to read: <c>c10::Error ... toFloat at c10/core/Scalar.h:140</c>, or a crash. Collections are rare in a
/// quiet process; a second thread forcing them makes the race likely within a few hundred steps. Young-generation
/// collections are enough (the Scalars die young) and cheap; the class runs alone so that no other test's heap or
/// threads slow it down.
/// </summary>
[Collection(nameof(CollectionStressTests))]
public class CollectionStressTests
{
    /// <summary>
    /// The demo model with everything that builds Scalars switched on: drop-path, mixup and cutmix, label smoothing,
    /// fp32 clipping, weight decay, warm-up; small batches so that there are many operations a second.
    /// </summary>
    private static TrainOptions DemoPhase(string folder) => FashionMnist.Phase(folder, epochs: 1, trainLimit: 4096, evalLimit: 64) with
    {
        Model = "vit_mini_patch7_28",
        Depths = [2, 2, 2, 2],
        BatchSize = 8,
        DropPath = 0.1,
        ClipGrad = 1.0,
        ClipGradInFp32 = true,
    };

    [Fact]
    public void Training_steps_survive_a_thread_that_forces_collections()
    {
        using var stop = new CancellationTokenSource();
        var collections = 0;
        var collector = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                for (var i = 0; i < 64; i++)
                    GC.KeepAlive(new byte[1024]);
                GC.Collect(0);
                GC.WaitForPendingFinalizers();
                collections++;
            }
        }) { IsBackground = true };
        collector.Start();
        try
        {
            var result = new PhaseRunner(DemoPhase(PhaseFixtures.TempFolder()), PhaseDataFactory.Create).Run();
            Assert.Equal(1, result.EpochsTrained);
        }
        finally
        {
            stop.Cancel();
            collector.Join();
        }
        Assert.True(collections > 100, $"only {collections} collections ran beside the training");
    }
}
