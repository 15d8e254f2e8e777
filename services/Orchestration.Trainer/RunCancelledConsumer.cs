using CloudAssembly.Contracts;
using MassTransit;

namespace CloudAssembly.Orchestration.Trainer;

/// <summary>Every trainer hears about cancelled runs (on its own temporary queue) and stops their phases.</summary>
public sealed class RunCancelledConsumer(PhaseWorker worker) : IConsumer<RunCancelled>
{
    public Task Consume(ConsumeContext<RunCancelled> context)
    {
        worker.Cancel(context.Message.RunId);
        return Task.CompletedTask;
    }
}
