using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace CloudAssembly.Services.Tests;

/// <summary>
/// The real RabbitMQ that eng/services-up.sh starts, with a fresh virtual host per test (created and removed through
/// the management API), so tests never see each other's queues.
/// </summary>
public sealed class Broker : IAsyncDisposable
{
    private const string User = "app", Password = "app-pass";
    private static readonly HttpClient Management = CreateManagement();

    private readonly List<string> users = [];

    private Broker(string vhost) => VirtualHost = vhost;

    public string VirtualHost { get; }

    public string Uri => $"amqp://{User}:{Password}@127.0.0.1:5672/{VirtualHost}";

    /// <summary>
    /// A user of this virtual host alone with the permissions (regular expressions) <paramref name="role"/> has in
    /// k8s/base/rabbitmq/definitions.json, so the tests exercise the cluster's least-privilege users; its amqp:// URI.
    /// </summary>
    /// <summary>A user with <paramref name="role"/>'s permissions from definitions.json, called <paramref name="suffix"/> (default: the role) in this virtual host.</summary>
    public async Task<string> AddUserAsync(string role, string? suffix = null)
    {
        using var definitions = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Repository.Root, "k8s", "base", "rabbitmq", "definitions.json")));
        var rights = definitions.RootElement.GetProperty("permissions").EnumerateArray().Single(p => p.GetProperty("user").GetString() == role);
        var name = $"{VirtualHost}-{suffix ?? role}";
        var password = Guid.NewGuid().ToString("N");
        (await Management.PutAsJsonAsync($"users/{name}", new { password, tags = "" })).EnsureSuccessStatusCode();
        users.Add(name);
        var permissions = new
        {
            configure = rights.GetProperty("configure").GetString(),
            write = rights.GetProperty("write").GetString(),
            read = rights.GetProperty("read").GetString(),
        };
        (await Management.PutAsJsonAsync($"permissions/{VirtualHost}/{name}", permissions)).EnsureSuccessStatusCode();
        return $"amqp://{name}:{password}@127.0.0.1:5672/{VirtualHost}";
    }

    public static async Task<Broker> CreateAsync()
    {
        var vhost = $"test-{Guid.NewGuid():N}"[..20];
        try
        {
            (await Management.PutAsync($"vhosts/{vhost}", null)).EnsureSuccessStatusCode();
        }
        catch (HttpRequestException e)
        {
            throw new InvalidOperationException($"RabbitMQ's management API on 127.0.0.1:15672 is not reachable ({e.Message}): run eng/services-up.sh first.", e);
        }
        var rights = new { configure = ".*", write = ".*", read = ".*" };
        (await Management.PutAsJsonAsync($"permissions/{vhost}/{User}", rights)).EnsureSuccessStatusCode();
        return new Broker(vhost);
    }

    /// <summary>Messages waiting in a queue of this virtual host (0 when the queue does not exist).</summary>
    public async Task<int> MessagesAsync(string queue)
    {
        var response = await Management.GetAsync($"queues/{VirtualHost}/{queue}");
        if (!response.IsSuccessStatusCode)
            return 0;
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        return json.TryGetProperty("messages", out var messages) ? messages.GetInt32() : 0;
    }

    /// <summary>The names of this virtual host's queues.</summary>
    public async Task<string[]> QueuesAsync()
    {
        var queues = await Management.GetFromJsonAsync<JsonElement>($"queues/{VirtualHost}");
        return [.. queues.EnumerateArray().Select(q => q.GetProperty("name").GetString()!)];
    }

    /// <summary>Publishes raw bytes straight to a queue, as a broken client would.</summary>
    public async Task PublishRawAsync(string queue, string body, string contentType)
    {
        var message = new
        {
            properties = new { content_type = contentType, delivery_mode = 2 },
            routing_key = queue,
            payload = body,
            payload_encoding = "string",
        };
        var response = await Management.PostAsJsonAsync($"exchanges/{VirtualHost}/amq.default/publish", message);
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var user in users)
            await Management.DeleteAsync($"users/{user}");
        await Management.DeleteAsync($"vhosts/{VirtualHost}");
    }

    private static HttpClient CreateManagement()
    {
        var client = new HttpClient { BaseAddress = new System.Uri("http://127.0.0.1:15672/api/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes($"{User}:{Password}")));
        return client;
    }
}
