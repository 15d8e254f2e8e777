using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Xunit.Abstractions;

namespace CloudAssembly.AppHost.Tests;

public sealed class AppHostTests(ITestOutputHelper output)
{
    private static readonly string[] Services = ["data-prep", "assembler", "trainer"];
    private static readonly string[] Resources = ["rabbitmq", "blobs", .. Services];

    [Fact]
    public async Task Without_docker_every_resource_runs_healthy_and_the_services_reach_the_apphosts_own_broker_and_storage()
    {
        // A guard against a hung start, not a time limit under test.
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var ct = guard.Token;
        await using var host = await LocalAppHost.StartAsync(trainers: 2, Resources, ct);
        var instances = await host.WaitUntilEveryInstanceIsUpAsync(ct);
        output.WriteLine(host.Describe());

        Assert.Equal([1, 1, 1, 1, 2], Resources.Select(name => instances.Count(e => e.Resource.Name == name)));
        Assert.IsType<LocalRabbitMQResource>(instances.Single(e => e.Resource.Name == "rabbitmq").Resource);
        Assert.IsType<AzuriteExecutableResource>(instances.Single(e => e.Resource.Name == "blobs").Resource);

        var rabbit = await host.App.GetConnectionStringAsync("rabbitmq", ct);
        var blobs = await host.App.GetConnectionStringAsync("blobs", ct);
        Assert.Equal($"amqp://guest:guest@127.0.0.1:{host.RabbitPort}/", rabbit);
        using var http = new HttpClient();
        var serviceInstances = instances.Where(e => Services.Contains(e.Resource.Name)).ToList();
        foreach (var instance in serviceInstances)
        {
            Assert.Equal(rabbit, Environment(instance, "ConnectionStrings__rabbit"));
            Assert.Equal(blobs, Environment(instance, "ConnectionStrings__blobs"));
            // Each process on its own port, not through Aspire's proxy, so every replica is asked.
            Assert.Equal("Healthy", await OwnHealthAsync(http, $"{Environment(instance, "ASPNETCORE_URLS")}/health", ct));
        }

        var trainers = serviceInstances.Where(e => e.Resource.Name == "trainer").ToList();
        Assert.Equal(trainers.Select(t => t.ResourceId).Order(), trainers.Select(t => Environment(t, "Trainer__Name")).Order());
        Assert.Equal(2, trainers.Select(t => Environment(t, "Trainer__WorkFolder")).Distinct().Count());

        foreach (var name in Services)
        {
            using var client = host.App.CreateHttpClient(name);
            using var response = await client.GetAsync("/health", ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(
            ["CloudAssembly.Assembler", "CloudAssembly.DataPrep", "CloudAssembly.Trainer", "CloudAssembly.Trainer"],
            await BrokerConnectionsAsync(host.ManagementPort, expected: 4, ct));

        // What the AppHost prints for the CLI, with this start's real values.
        var cliEnvironment = await File.ReadAllLinesAsync(Path.Combine(host.DataFolder, CliEnvironment.FileName), ct);
        Assert.Contains($"export CLOUDASSEMBLY_BROKER='{rabbit}'", cliEnvironment);
        Assert.Contains($"export CLOUDASSEMBLY_STORE='{blobs}'", cliEnvironment);
    }

    [Fact]
    public async Task A_trainer_replica_whose_process_dies_is_started_again()
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var ct = guard.Token;
        await using var host = await LocalAppHost.StartAsync(trainers: 2, Resources, ct);
        var trainer = (await host.WaitUntilEveryInstanceIsUpAsync(ct)).First(e => e.Resource.Name == "trainer").ResourceId;
        var process = host.ProcessId(trainer) ?? throw new InvalidOperationException($"{trainer} has no process id: {host.Describe()}");
        var starts = host.Starts(trainer);

        // DCP starts a project as `dotnet run`; the trainer itself is its child, and a crash is that process dying.
        var service = ChildProcesses(process).Single();
        output.WriteLine($"{trainer}: `dotnet run` {process}, trainer process {service}");
        using (var kill = System.Diagnostics.Process.Start("kill", ["-KILL", service]))
        {
            await kill.WaitForExitAsync(ct);
            Assert.Equal(0, kill.ExitCode);
        }

        await host.WaitUntilRunningAgainAsync(trainer, starts, ct);
        Assert.NotEqual(process, host.ProcessId(trainer));
        output.WriteLine(host.Describe());
    }

    private static IEnumerable<string> ChildProcesses(string parent) =>
        Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(id => id!.All(char.IsAsciiDigit) && ParentOf(id!) == parent)
            .Select(id => id!);

    private static string? ParentOf(string process)
    {
        try
        {
            // /proc/<pid>/stat: "pid (name) state ppid ..."; the name may hold spaces, so read after its closing parenthesis.
            var stat = File.ReadAllText($"/proc/{process}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1];
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// The instance's own answer on its own port. Aspire's health state can run ahead of the port (a replica the AppHost
    /// has just started again is still binding), so a refused connection is asked again until the guard ends the test.
    /// </summary>
    private static async Task<string> OwnHealthAsync(HttpClient http, string url, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                return await http.GetStringAsync(url, ct);
            }
            catch (HttpRequestException) when (!ct.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
            }
        }
    }

    private static string Environment(ResourceEvent instance, string name) =>
        instance.Snapshot.EnvironmentVariables.SingleOrDefault(v => v.Name == name)?.Value
        ?? throw new InvalidOperationException($"{instance.ResourceId} has no {name}.");

    /// <summary>The client names of the connections the AppHost's own node holds, read from its management API.</summary>
    private static async Task<string[]> BrokerConnectionsAsync(int managementPort, int expected, CancellationToken ct)
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("guest:guest")));
        while (true)
        {
            // The management API lists a connection a moment after the client opened it.
            using var connections = JsonDocument.Parse(await http.GetStringAsync($"http://127.0.0.1:{managementPort}/api/connections", ct));
            var names = connections.RootElement.EnumerateArray()
                .Select(c => c.GetProperty("client_properties").GetProperty("connection_name").GetString() ?? "")
                .Order().ToArray();
            if (names.Length >= expected)
                return names;
            await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
        }
    }
}
