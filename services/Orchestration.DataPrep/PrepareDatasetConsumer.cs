using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Runs;
using MassTransit;

namespace CloudAssembly.Orchestration.DataPrep;

/// <summary>The DataPrep queue: prepare the dataset version (or find it ready) and say where it is; a failure is reported, not retried forever.</summary>
public sealed class PrepareDatasetConsumer(DatasetPreparer preparer, RunStore runs) : IConsumer<PrepareDataset>
{
    public async Task Consume(ConsumeContext<PrepareDataset> context)
    {
        try
        {
            // The run's root span, so the dataset step sits beside the phases in the run's trace.
            var traceParent = (await runs.TryGetAsync(context.Message.RunId, context.CancellationToken))?.Run.TraceParent;
            await context.Publish(await preparer.PrepareAsync(context.Message, traceParent, context.CancellationToken), context.CancellationToken);
        }
        catch (Exception e) when (e is ArgumentException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException or NotSupportedException)
        {
            await context.Publish(new DatasetFailed(context.Message.RunId, e.Message), context.CancellationToken);
        }
    }
}
