using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Runs;
using MassTransit;

namespace CloudAssembly.Orchestration.DataPrep;

/// <summary>The DataPrep queue: claims the build and acknowledges at once; the build runs under its lease and answers when done.</summary>
public sealed class PrepareDatasetConsumer(DatasetBuilds builds) : IConsumer<PrepareDataset>
{
    public Task Consume(ConsumeContext<PrepareDataset> context) => builds.StartAsync(context.Message, context.CancellationToken);
}
