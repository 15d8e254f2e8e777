using CloudAssembly.Orchestration.Messaging;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CloudAssembly.Orchestration.DataPrep;

/// <summary>DataPrep's wiring: the dataset preparer, its background builds and the <c>data-prep</c> queue.</summary>
public static class DataPrepRegistration
{
    /// <summary>The DataPrep service from configuration (section <c>DataPrep</c>).</summary>
    public static IHostApplicationBuilder AddDataPrep(this IHostApplicationBuilder builder) =>
        builder.AddCloudAssemblyService(bus => bus.AddDataPrep(builder.Configuration.GetSection("DataPrep").Get<DataPrepOptions>() ?? new DataPrepOptions()));

    public static CloudAssemblyBuilder AddDataPrep(this CloudAssemblyBuilder bus, DataPrepOptions? options = null)
    {
        bus.Services.AddSingleton(options ?? new DataPrepOptions());
        bus.Services.AddSingleton<DatasetPreparer>();
        bus.Services.AddSingleton<DatasetBuilds>();
        return bus.AddEndpoint(x => x.AddConsumer<PrepareDatasetConsumer>(), (context, cfg) =>
            cfg.ReceiveEndpoint(QueueNames.DataPrep, e =>
            {
                // Claiming the build's lease writes a blob: wait out a storage outage rather than lose the request.
                e.UseMessageRetry(r => r.Intervals(1000, 5000, 15000, 30000));
                e.ConfigureConsumer<PrepareDatasetConsumer>(context);
            }));
    }
}
