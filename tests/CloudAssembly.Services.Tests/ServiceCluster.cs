using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Messaging;
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
    private readonly Broker? broker;
    private readonly IReadOnlyDictionary<string, string> settings;
    private readonly Dictionary<string, string> brokerUris = [];
    private IHost? client;

    private ServiceCluster(Broker? broker, string rabbitUri, string? blobConnection, IReadOnlyDictionary<string, string>? settings)
    {
        this.broker = broker;
        RabbitUri = rabbitUri;
        Blobs = new BlobContainer(blobConnection);
        this.settings = settings ?? new Dictionary<string, string>();
    }

    /// <summary>The shared RabbitMQ's fresh virtual host (a cluster on a private broker has none).</summary>
    public Broker Broker => broker ?? throw new InvalidOperationException("This cluster runs on a private broker.");

    public string RabbitUri { get; }

    public BlobContainer Blobs { get; }

    public IBus Bus => client!.Services.GetRequiredService<IBus>();

    public RunStore Runs => client!.Services.GetRequiredService<RunStore>();

    public IBlobStore Store => client!.Services.GetRequiredService<IBlobStore>();

    public IReadOnlyList<ServiceProcess> Processes => processes;

    /// <summary>
    /// Starts the cluster on the shared services, or on <paramref name="services"/> (a test's private broker and storage);
    /// <paramref name="settings"/> are added to every service's configuration, <paramref name="perService"/> to one's.
    /// </summary>
    /// <param name="ownBrokerUsers">Each service, and the client, on its own least-privilege broker user as on Kubernetes.</param>
    public static async Task<ServiceCluster> StartAsync(int trainers, PrivateServices? services = null, IReadOnlyDictionary<string, string>? settings = null,
        Func<string, IReadOnlyDictionary<string, string>?>? perService = null, bool ownBrokerUsers = false)
    {
        var broker = services is null ? await Broker.CreateAsync() : null;
        var cluster = new ServiceCluster(broker, services?.RabbitUri ?? broker!.Uri, services?.BlobConnection, settings);
        if (ownBrokerUsers)
            foreach (var (service, role) in new[] { ("Assembler", "assembler"), ("DataPrep", "data-prep"), ("Trainer", "trainer"), ("client", "submitter") })
                cluster.brokerUris[service] = await cluster.Broker.AddUserAsync(role);
        await cluster.StartClientAsync();
        await Task.WhenAll(
            cluster.StartServiceAsync("DataPrep", "data-prep", perService?.Invoke("data-prep")),
            cluster.StartServiceAsync("Assembler", "assembler", perService?.Invoke("assembler")),
            Task.WhenAll(Enumerable.Range(1, trainers).Select(i => cluster.StartServiceAsync("Trainer", $"trainer-{i}", perService?.Invoke($"trainer-{i}")))));
        return cluster;
    }

    /// <summary>Starts one more service process; <paramref name="overrides"/> change its configuration only.</summary>
    public async Task<ServiceProcess> StartServiceAsync(string service, string name, IReadOnlyDictionary<string, string>? overrides = null)
    {
        var environment = Environment(name, BrokerUri(service));
        foreach (var (key, value) in overrides ?? new Dictionary<string, string>())
            environment[key] = value;
        var process = await ServiceProcess.StartAsync(service, name, environment);
        lock (processes)
            processes.Add(process);
        return process;
    }

    /// <summary>The work folder of the trainer called <paramref name="name"/>.</summary>
    public string WorkFolder(string name) => Path.Combine(Path.GetTempPath(), "cloudassembly-tests", Blobs.Name, name);

    public ServiceProcess Process(string name) => processes.Last(p => p.Name == name && !p.HasExited);

    public string Logs => string.Join("\n", processes.Select(p => $"===== {p.Name} =====\n{p.Log}"));

    /// <summary>The epochs of <paramref name="phase"/>'s log (log.txt) as its pointer names it, and the log's blob name.</summary>
    public async Task<(string Blob, IReadOnlyList<EpochLog> Epochs)> PhaseLogAsync(string runId, PhaseKey phase)
    {
        var pointer = (await new PointerStore(Store).TryReadAsync(BlobLayout.Pointer(runId, phase), default))!.Value.Pointer;
        await using var log = await Store.GetAsync(pointer.Log!);
        var lines = new StreamReader(log.Content).ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return (pointer.Log!, [.. lines.Select(l => EpochLog.FromJson(l)!)]);
    }

    /// <summary>Counts a process started outside this class (a Job's pod) as the cluster's: its log is shown and it is stopped with the cluster.</summary>
    public void Adopt(ServiceProcess process)
    {
        lock (processes)
            processes.Add(process);
    }

    private string BrokerUri(string service) => brokerUris.GetValueOrDefault(service, RabbitUri);

    /// <summary>What a service process called <paramref name="name"/> is configured with, as a pod of the cluster would be.</summary>
    public Dictionary<string, string> ServiceEnvironment(string service, string name) => Environment(name, BrokerUri(service));

    private Dictionary<string, string> Environment(string name, string brokerUri)
    {
        var environment = BaseEnvironment(name, brokerUri);
        // On their own broker users, as on Kubernetes, only the services' users may send service events.
        var services = new[] { "Assembler", "DataPrep", "Trainer" }.Where(brokerUris.ContainsKey).Select(s => BrokerUser.FromUri(brokerUris[s])!).ToList();
        for (var i = 0; i < services.Count; i++)
            environment[$"Assembler__ServiceUsers__{i}"] = services[i];
        return environment;
    }

    private Dictionary<string, string> BaseEnvironment(string name, string brokerUri) => new(settings)
    {
        ["ConnectionStrings__rabbit"] = brokerUri,
        ["ConnectionStrings__blobs"] = Blobs.Connection,
        ["Storage__Container"] = Blobs.Name,
        ["Trainer__Name"] = name,
        ["Trainer__HeartbeatInterval"] = "00:00:02",
        ["Trainer__SlotWait"] = "00:00:03",
        ["Trainer__LeaseDeadline"] = "00:00:06",
        ["DataPrep__Name"] = name,
        ["DataPrep__HeartbeatInterval"] = "00:00:02",
        ["Trainer__ProgressInterval"] = "00:00:01",
        ["Trainer__WorkFolder"] = WorkFolder(name),
        ["Assembler__WatchdogInterval"] = "00:00:02",
        ["Assembler__LeaseTimeout"] = "00:00:10",
        ["Assembler__StorageGrace"] = "00:00:30",
        ["Assembler__RedispatchAfter"] = "00:02:00",
        ["Assembler__WorkFolder"] = Path.Combine(Path.GetTempPath(), "cloudassembly-tests", Blobs.Name, name),
    };

    private async Task StartClientAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton(Blobs.Open());
        builder.Services.AddSingleton<RunStore>();
        builder.Services.AddMassTransit(x => x.UsingRabbitMq((_, cfg) => Connect(cfg, BrokerUri("client"))));
        client = builder.Build();
        await client.StartAsync();
    }

    /// <summary>Another broker client, on a new user called <paramref name="name"/> with <paramref name="role"/>'s permissions.</summary>
    public async Task<IBusControl> ConnectAsNewUserAsync(string role, string name) => await StartBusAsync(await Broker.AddUserAsync(role, name));

    /// <summary>Another broker client on <paramref name="service"/>'s own user (the cluster must run on own broker users).</summary>
    public Task<IBusControl> ConnectAsAsync(string service) => StartBusAsync(brokerUris[service]);

    /// <summary>A bus on <paramref name="uri"/> that stamps its messages with its user, as the CLI's and the services' do.</summary>
    private static async Task<IBusControl> StartBusAsync(string uri)
    {
        var bus = MassTransit.Bus.Factory.CreateUsingRabbitMq(cfg => Connect(cfg, uri));
        await bus.StartAsync();
        return bus;
    }

    private static void Connect(IRabbitMqBusFactoryConfigurator cfg, string uri)
    {
        cfg.Host(new Uri(uri));
        if (BrokerUser.FromUri(uri) is { } user)
            BrokerUser.Stamp(cfg, user);
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
        if (broker is not null)
            await broker.DisposeAsync();
    }
}
