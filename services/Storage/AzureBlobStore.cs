using System.Runtime.CompilerServices;
using Azure;
using Azure.Core;
using Azure.Identity;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace CloudAssembly.Storage;

/// <summary>
/// Blobs in one Azure Blob Storage container (or Azurite's), created on first use. Create-only writes send
/// <c>If-None-Match: *</c>, compare-and-swap sends <c>If-Match: etag</c>; the service decides, so the conditions hold
/// between any number of machines.
/// </summary>
public sealed class AzureBlobStore(BlobContainerClient container, BlobTransferOptions? transfer = null) : IBlobStore
{
    private readonly BlobTransferOptions _transfer = Validated(transfer ?? BlobTransferOptions.Default);
    private Task? _containerReady;

    public AzureBlobStore(string connectionString, string containerName, BlobTransferOptions? transfer = null)
        : this(new BlobServiceClient(connectionString, ClientOptions()).GetBlobContainerClient(containerName), transfer)
    {
    }

    /// <summary>The account at <paramref name="accountUrl"/>, signed in with whatever identity the environment offers and never a key.</summary>
    public AzureBlobStore(Uri accountUrl, string containerName, BlobTransferOptions? transfer = null)
        : this(new BlobServiceClient(accountUrl, new DefaultAzureCredential(), ClientOptions()).GetBlobContainerClient(containerName), transfer)
    {
    }

    public string Location => container.Uri.AbsoluteUri;

    /// <summary>
    /// Timeouts, throttling (503) and dropped connections are retried with exponential back-off, about 6 s in all before
    /// giving up; a single large block gets two minutes.
    /// </summary>
    public static BlobClientOptions ClientOptions()
    {
        var options = new BlobClientOptions();
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = 5;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(10);
        options.Retry.NetworkTimeout = TimeSpan.FromMinutes(2);
        return options;
    }

    public Task<string> PutIfAbsentAsync(string name, Stream content, CancellationToken cancellationToken = default) =>
        UploadAsync(name, (blob, options, ct) => blob.UploadAsync(content, options, ct), WriteCondition.IfAbsent, null, cancellationToken);

    public Task<string> PutIfMatchAsync(string name, Stream content, string etag, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(etag);
        return UploadAsync(name, (blob, options, ct) => blob.UploadAsync(content, options, ct), WriteCondition.IfMatch, etag, cancellationToken);
    }

    public Task<string> PutAsync(string name, Stream content, CancellationToken cancellationToken = default) =>
        UploadAsync(name, (blob, options, ct) => blob.UploadAsync(content, options, ct), WriteCondition.None, null, cancellationToken);

    public Task<string> UploadFileAsync(string name, string localPath, bool createOnly, CancellationToken cancellationToken = default)
    {
        var fullPath = Path.GetFullPath(localPath);
        if (!File.Exists(fullPath)) throw new FileNotFoundException($"Cannot upload '{fullPath}' to blob '{name}': the file does not exist.", fullPath);
        return UploadAsync(name, (blob, options, ct) => blob.UploadAsync(fullPath, options, ct),
            createOnly ? WriteCondition.IfAbsent : WriteCondition.None, null, cancellationToken);
    }

    public async Task<BlobContent> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        var blob = await BlobAsync(name, cancellationToken);
        try
        {
            var download = (await blob.DownloadStreamingAsync(cancellationToken: cancellationToken)).Value;
            return new BlobContent(download.Content, Format(download.Details.ETag), download.Details.ContentLength);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new BlobNotFoundException(name, Location, e);
        }
    }

    public async Task<BlobContent> GetRangeAsync(string name, long offset, long length, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        var blob = await BlobAsync(name, cancellationToken);
        try
        {
            var options = new BlobDownloadOptions { Range = new HttpRange(offset, length) };
            var download = (await blob.DownloadStreamingAsync(options, cancellationToken)).Value;
            return new BlobContent(download.Content, Format(download.Details.ETag), download.Details.ContentLength);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new BlobNotFoundException(name, Location, e);
        }
        catch (RequestFailedException e) when (e.Status == 416)
        {
            // The range starts at or past the end: the contract says an empty read, of the current version.
            var properties = await TryGetPropertiesAsync(name, cancellationToken) ?? throw new BlobNotFoundException(name, Location, e);
            return new BlobContent(Stream.Null, properties.ETag, 0);
        }
    }

    public async Task<BlobInfo?> TryGetPropertiesAsync(string name, CancellationToken cancellationToken = default)
    {
        var blob = await BlobAsync(name, cancellationToken);
        try
        {
            var properties = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
            return new BlobInfo(name, properties.ContentLength, Format(properties.ETag), properties.LastModified);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async IAsyncEnumerable<BlobInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        BlobName.ValidatePrefix(prefix);
        await EnsureContainerAsync(cancellationToken);
        var options = new GetBlobsOptions { Prefix = prefix.Length == 0 ? null : prefix };
        // The service returns names in lexicographic order, the order the contract promises.
        await foreach (var item in container.GetBlobsAsync(options, cancellationToken))
        {
            var properties = item.Properties;
            yield return new BlobInfo(item.Name, properties.ContentLength ?? 0, properties.ETag is { } etag ? Format(etag) : "",
                properties.LastModified ?? DateTimeOffset.MinValue);
        }
    }

    public async Task DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        var blob = await BlobAsync(name, cancellationToken);
        await blob.DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken);
    }

    public async Task<BlobInfo> DownloadFileAsync(string name, string localPath, CancellationToken cancellationToken = default)
    {
        var blob = await BlobAsync(name, cancellationToken);
        var target = Path.GetFullPath(localPath);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        // Ranges of one download must all come from one version: pin the ETag read first. A blob replaced in between
        // fails the condition, and the next round downloads the new version.
        for (var attempt = 1; ; attempt++)
        {
            var properties = await TryGetPropertiesAsync(name, cancellationToken) ?? throw new BlobNotFoundException(name, Location);
            var temp = TempFile.Beside(target);
            try
            {
                var options = new BlobDownloadToOptions
                {
                    Conditions = new BlobRequestConditions { IfMatch = new ETag(properties.ETag) },
                    TransferOptions = TransferOptions(),
                };
                await blob.DownloadToAsync(temp, options, cancellationToken);
                File.Move(temp, target, overwrite: true);
                return properties;
            }
            catch (RequestFailedException e) when (e.Status == 412 && attempt < 5)
            {
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                throw new BlobStoreException($"Blob '{name}' changed during each of {attempt} download attempts; it is being rewritten too often to copy.", e);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                throw new BlobNotFoundException(name, Location, e);
            }
            finally
            {
                TempFile.TryDelete(temp);
            }
        }
    }

    private async Task<string> UploadAsync(string name,
        Func<BlobClient, BlobUploadOptions, CancellationToken, Task<Response<BlobContentInfo>>> upload,
        WriteCondition condition, string? expectedETag, CancellationToken cancellationToken)
    {
        var blob = await BlobAsync(name, cancellationToken);
        var options = new BlobUploadOptions
        {
            TransferOptions = TransferOptions(),
            Conditions = condition switch
            {
                WriteCondition.IfAbsent => new BlobRequestConditions { IfNoneMatch = ETag.All },
                WriteCondition.IfMatch => new BlobRequestConditions { IfMatch = new ETag(expectedETag!) },
                _ => null,
            },
        };
        try
        {
            return Format((await upload(blob, options, cancellationToken)).Value.ETag);
        }
        // A single PUT answers an existing blob with 409 BlobAlreadyExists; a block-list commit answers 412.
        catch (RequestFailedException e) when (condition == WriteCondition.IfAbsent && e.Status is 409 or 412)
        {
            throw new BlobAlreadyExistsException(name, e);
        }
        // If-Match on a blob that is gone is a lost race too.
        catch (RequestFailedException e) when (condition == WriteCondition.IfMatch && e.Status is 412 or 404)
        {
            throw new BlobConditionFailedException(name, expectedETag!, e);
        }
    }

    private StorageTransferOptions TransferOptions() => new()
    {
        InitialTransferSize = _transfer.BlockSize,
        MaximumTransferSize = _transfer.BlockSize,
        MaximumConcurrency = _transfer.Concurrency,
    };

    private async Task<BlobClient> BlobAsync(string name, CancellationToken cancellationToken)
    {
        BlobName.Validate(name);
        await EnsureContainerAsync(cancellationToken);
        return container.GetBlobClient(name);
    }

    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        var ready = _containerReady ??= CreateContainerAsync(cancellationToken);
        try
        {
            await ready;
        }
        catch
        {
            // Let the next call try again rather than remember a failure (the service may have been starting).
            _ = Interlocked.CompareExchange(ref _containerReady, null, ready);
            throw;
        }
    }

    private async Task CreateContainerAsync(CancellationToken cancellationToken)
    {
        try
        {
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        }
        catch (Exception e) when (e is AggregateException or RequestFailedException { Status: 0 })
        {
            throw new BlobStoreException(
                $"Cannot reach blob storage at {container.Uri.GetLeftPart(UriPartial.Authority)} ({FirstLine(e.Message)}); is it running? Locally, eng/services-up.sh starts Azurite.", e);
        }
    }

    // Listings carry ETags bare and response headers carry them quoted; callers compare them as strings.
    private static string Format(ETag etag) => etag.ToString("H");

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    private static BlobTransferOptions Validated(BlobTransferOptions options)
    {
        options.Validate();
        return options;
    }
}
