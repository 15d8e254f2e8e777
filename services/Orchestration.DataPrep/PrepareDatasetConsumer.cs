using CloudAssembly.Contracts;
using MassTransit;

namespace CloudAssembly.Orchestration.DataPrep;

/// <summary>The DataPrep queue: prepare the dataset version (or find it ready) and say where it is; a failure is reported, not retried forever.</summary>
public sealed class PrepareDatasetConsumer(DatasetPreparer preparer) : IConsumer<PrepareDataset>
{
    public async Task Consume(ConsumeContext<PrepareDataset> context)
    {
        try
        {
            await context.Publish(await preparer.PrepareAsync(context.Message, context.CancellationToken), context.CancellationToken);
        }
        catch (Exception e) when (e is ArgumentException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException or NotSupportedException)
        {
            await context.Publish(new DatasetFailed(context.Message.RunId, e.Message), context.CancellationToken);
        }
    }
}
