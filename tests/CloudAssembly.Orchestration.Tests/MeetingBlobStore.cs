using CloudAssembly.Storage;

namespace CloudAssembly.Orchestration.Tests;

/// <summary>
/// A real blob store whose uploads of blobs named <paramref name="meetAt"/> wait until <paramref name="parties"/> of
/// them have been made: so two writers certainly race on what they do next, instead of one finishing before the other starts.
/// </summary>
public sealed class MeetingBlobStore(IBlobStore store, string meetAt, int parties) : DelegatingBlobStore(store)
{
    private readonly TaskCompletionSource allArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int arrived;

    public override async Task<string> UploadFileAsync(string name, string localPath, bool createOnly, CancellationToken cancellationToken = default)
    {
        var etag = await Inner.UploadFileAsync(name, localPath, createOnly, cancellationToken);
        if (!name.EndsWith(meetAt, StringComparison.Ordinal))
            return etag;
        if (Interlocked.Increment(ref arrived) == parties)
            allArrived.SetResult();
        // Only against a hang should the other writer never come: the test then fails instead of waiting forever.
        await allArrived.Task.WaitAsync(TimeSpan.FromMinutes(2), cancellationToken);
        return etag;
    }
}
