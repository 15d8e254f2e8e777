using System.Net.Sockets;
using Azure.Storage.Blobs;
using CloudAssembly.Storage;

namespace CloudAssembly.TestSupport;

/// <summary>
/// A fresh container on the real Azurite (or whatever <c>BLOB_CONNECTION</c> names) for one test class, deleted
/// afterwards. When the service is down every test of the class fails with one line saying how to start it.
/// </summary>
public sealed class AzuriteContainer : IAsyncLifetime
{
    public string Connection { get; } = Environment.GetEnvironmentVariable("BLOB_CONNECTION") is { Length: > 0 } configured
        ? configured
        : "UseDevelopmentStorage=true";

    public string Name { get; } = $"test-{Guid.NewGuid():N}";

    public IBlobStore Store => BlobStores.Open(Connection, Name);

    private bool _reachable;

    public async Task InitializeAsync()
    {
        var endpoint = new BlobServiceClient(Connection).Uri;
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await client.ConnectAsync(endpoint.Host, endpoint.Port, timeout.Token);
            _reachable = true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            throw new InvalidOperationException(
                $"Azurite is not reachable at {endpoint.Host}:{endpoint.Port}: run eng/services-up.sh first (or set BLOB_CONNECTION to a reachable blob service).");
        }
    }

    public async Task DisposeAsync()
    {
        if (_reachable) await new BlobServiceClient(Connection).GetBlobContainerClient(Name).DeleteIfExistsAsync();
    }
}
