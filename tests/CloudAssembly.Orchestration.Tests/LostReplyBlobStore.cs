using CloudAssembly.Storage;

namespace CloudAssembly.Orchestration.Tests;

/// <summary>
/// A real blob store whose next conditional write to a blob named <paramref name="lost"/> is applied, but whose reply
/// is lost: as when the SDK retries a write that timed out after storage had applied it, and the retry meets the
/// write's own result (409 for create-only, 412 for compare-and-swap).
/// </summary>
public sealed class LostReplyBlobStore(IBlobStore store, string lost) : DelegatingBlobStore(store)
{
    private int armed = 1;

    public override async Task<string> PutIfAbsentAsync(string name, Stream content, CancellationToken cancellationToken = default)
    {
        var written = await Inner.PutIfAbsentAsync(name, content, cancellationToken);
        return Losing(name) ? throw new BlobAlreadyExistsException(name) : written;
    }

    public override async Task<string> PutIfMatchAsync(string name, Stream content, string etag, CancellationToken cancellationToken = default)
    {
        var written = await Inner.PutIfMatchAsync(name, content, etag, cancellationToken);
        return Losing(name) ? throw new BlobConditionFailedException(name, etag) : written;
    }

    private bool Losing(string name) => name == lost && Interlocked.Exchange(ref armed, 0) == 1;
}
