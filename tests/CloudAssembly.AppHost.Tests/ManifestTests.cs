using System.Text.Json;

namespace CloudAssembly.AppHost.Tests;

public sealed class ManifestTests
{
    private static readonly string[] Services = ["data-prep", "assembler", "trainer"];

    [Fact]
    public async Task The_published_manifest_describes_broker_storage_and_the_three_services()
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var resources = await AspireManifest.PublishAsync(guard.Token);

        Assert.Equal(
            ["assembler", "blobs", "data-prep", "rabbitmq", "rabbitmq-password", "rabbitmq-password-uri-encoded", "trainer"],
            resources.EnumerateObject().Select(r => r.Name).Order());

        var rabbitmq = resources.GetProperty("rabbitmq");
        Assert.Equal("container.v0", Type(rabbitmq));
        Assert.Equal("docker.io/library/rabbitmq:4.2.9-management", rabbitmq.GetProperty("image").GetString());
        Assert.StartsWith("amqp://", rabbitmq.GetProperty("connectionString").GetString());
        Assert.Contains(rabbitmq.GetProperty("bindMounts").EnumerateArray(), m =>
            m.GetProperty("target").GetString() == "/etc/rabbitmq/conf.d/90-cloudassembly.conf"
            && m.GetProperty("source").GetString()!.EndsWith("AppHost/rabbitmq/cloudassembly.conf", StringComparison.Ordinal));
        Assert.Equal(["management", "tcp"], rabbitmq.GetProperty("bindings").EnumerateObject().Select(b => b.Name).Order());

        var blobs = resources.GetProperty("blobs");
        Assert.Equal("container.v0", Type(blobs));
        Assert.Equal("mcr.microsoft.com/azure-storage/azurite:3.35.0", blobs.GetProperty("image").GetString());
        Assert.Contains("--skipApiVersionCheck", blobs.GetProperty("args").EnumerateArray().Select(a => a.GetString()));
        Assert.Contains("BlobEndpoint=http://{blobs.bindings.blob.host}:{blobs.bindings.blob.port}/devstoreaccount1",
            blobs.GetProperty("connectionString").GetString());

        foreach (var name in Services)
        {
            var service = resources.GetProperty(name);
            Assert.Equal("project.v0", Type(service));
            var env = service.GetProperty("env");
            Assert.Equal("{rabbitmq.connectionString}", env.GetProperty("ConnectionStrings__rabbit").GetString());
            Assert.Equal("{blobs.connectionString}", env.GetProperty("ConnectionStrings__blobs").GetString());
            Assert.Equal("http", service.GetProperty("bindings").GetProperty("http").GetProperty("scheme").GetString());
        }
        Assert.EndsWith("services/Trainer/CloudAssembly.Trainer.csproj", resources.GetProperty("trainer").GetProperty("path").GetString());
    }

    private static string? Type(JsonElement resource) => resource.GetProperty("type").GetString();
}
