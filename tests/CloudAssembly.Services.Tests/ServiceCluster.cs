using CloudAssembly.Orchestration.Runs;
using CloudAssembly.Storage;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CloudAssembly.Services.Tests;

/// <summary>
/// DataPrep, the Assembler and N trainers as separate processes over the real RabbitMQ (a fresh virtual host) and the
/// real Azurite (a fresh container), plus a client bus in the test process to submit and watch runs. Timings are short
/// (heartbeats every 2 s, a lease given up after 10 s) so faults show within a test.
/// </summary>
public sealed class ServiceCluster : IAsyncDisposable
{
    private readonly List<ServiceProcess> processes = [];
    private readonly Dictionary<string, string> brokerUris = [];
    private IHost? client;

    private ServiceCluster(Broker broker) => Broker = broker;

    public Broker Broker { get; }

    public BlobContainer Blobs { get; } = new();

    public IBus Bus => client!.Services.GetRequiredService<IBus>();

    public RunStore Runs => client!.Services.GetRequiredService<RunStore>();

    public IBlobStore Store => client!.Services.GetRequiredService<IBlobStore>();

    public IReadOnlyList<ServiceProcess> Processes => processes;

    /// <param name="ownBrokerUsers">Each service, and the client, on its own least-privilege broker user as on Kubernetes.</param>
    public static async Task<ServiceCluster> StartAsync(int trainers, bool ownBrokerUsers = false)
    {
        var cluster = new ServiceCluster(await Broker.CreateAsync());
        if (ownBrokerUsers)
            foreach (var (service, role) in new[] { ("Assembler", "assembler"), ("DataPrep", "data-prep"), ("Trainer", "trainer"), ("client", "submitter") })
                cluster.brokerUris[service] = await cluster.Broker.AddUserAsync(role);
        await cluster.StartClientAsync();
        await Task.WhenAll(
            cluster.StartServiceAsync("DataPrep", "data-prep"),
            cluster.StartServiceAsync("Assembler", "assembler"),
            Task.WhenAll(Enumerable.Range(1, trainers).Select(i => cluster.StartServiceAsync("Trainer", $"trainer-{i}"))));
        return cluster;
    }

    public async Task<ServiceProcess> StartServiceAsync(string service, string name)
    {
        var process = await ServiceProcess.StartAsync(service, name, Environment(name, BrokerUri(service)));
        lock (processes)
            processes.Add(process);
        return process;
    }

    public ServiceProcess Process(string name) => processes.Last(p => p.Name == name && !p.HasExited);

    public string Logs => string.Join("\n", processes.Select(p => $"===== {p.Name} =====\n{p.Log}"));

    private string BrokerUri(string service) => brokerUris.GetValueOrDefault(service, Broker.Uri);

    private Dictionary<string, string> Environment(string name, string brokerUri) => new()
    {
        ["ConnectionStrings__rabbit"] = brokerUri,
        ["ConnectionStrings__blobs"] = BlobContainer.Connection,
        ["Storage__Container"] = Blobs.Name,
        ["Trainer__Name"] = name,
        ["Trainer__HeartbeatInterval"] = "00:00:02",
        ["Trainer__SlotWait"] = "00:00:03",
        ["Trainer__ProgressInterval"] = "00:00:01",
        ["Trainer__WorkFolder"] = Path.Combine(Path.GetTempPath(), "cloudassembly-tests", Blobs.Name, name),
        ["Assembler__WatchdogInterval"] = "00:00:02",
        ["Assembler__LeaseTimeout"] = "00:00:10",
        ["Assembler__RedispatchAfter"] = "00:02:00",
        ["Assembler__WorkFolder"] = Path.Combine(Path.GetTempPath(), "cloudassembly-tests", Blobs.Name, name),
    };

    private async Task StartClientAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton(Blobs.Open());
        builder.Services.AddSingleton<RunStore>();
        builder.Services.AddMassTransit(x => x.UsingRabbitMq((_, cfg) => cfg.Host(new Uri(BrokerUri("client")))));
        client = builder.Build();
        await client.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in processes)
            await process.DisposeAsync();
        if (client is not null)
        {
            await client.StopAsync();
            client.Dispose();
        }
        await Broker.DisposeAsync();
    }
}
