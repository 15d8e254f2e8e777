using CloudAssembly.Orchestration.Messaging;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CloudAssembly.Orchestration.DataPrep;

/// <summary>DataPrep's wiring: the dataset preparer and the <c>data-prep</c> queue.</summary>
public static class DataPrepRegistration
{
    public static IHostApplicationBuilder AddDataPrep(this IHostApplicationBuilder builder) =>
        builder.AddCloudAssemblyService(bus => bus.AddDataPrep());

    public static CloudAssemblyBuilder AddDataPrep(this CloudAssemblyBuilder bus)
    {
        bus.Services.AddSingleton<DatasetPreparer>();
        return bus.AddEndpoint(x => x.AddConsumer<PrepareDatasetConsumer>(), (context, cfg) =>
            cfg.ReceiveEndpoint(QueueNames.DataPrep, e =>
            {
                e.UseMessageRetry(r => r.Intervals(1000, 5000));
                e.ConfigureConsumer<PrepareDatasetConsumer>(context);
            }));
    }
}
