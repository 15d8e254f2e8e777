using System.Collections.Concurrent;

namespace CloudAssembly.Storage;

/// <summary>
/// Serialises the check-and-rename of every write to one blob name, across threads and processes. A name maps to one of
/// 64 lock files under <c>.~locks/</c>; the lock is an exclusive open of that file, which .NET implements on Unix as
/// <c>flock(LOCK_EX)</c>. The kernel drops a flock when its process dies, so a crashed writer never leaves a stale lock,
/// and the lock files themselves are never deleted (deleting a flock'd file races with the next opener).
/// </summary>
internal sealed class FolderWriteLock
{
    private const int Stripes = 64;

    // flock excludes between open file descriptions even within one process, but waiting on a semaphore first keeps
    // threads of the same process from spinning against each other.
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new();

    private readonly string _folder;

    public FolderWriteLock(string root)
    {
        if (AppContext.TryGetSwitch("System.IO.DisableFileLocking", out var disabled) && disabled)
            throw new InvalidOperationException(
                "The folder blob store needs file locking, but System.IO.DisableFileLocking (DOTNET_SYSTEM_IO_DISABLEFILELOCKING) is set; unset it.");
        _folder = Path.Combine(root, $"{BlobName.ReservedSegmentPrefix}locks");
        Directory.CreateDirectory(_folder);
    }

    public async Task<IDisposable> AcquireAsync(string blobName, CancellationToken cancellationToken)
    {
        var path = Path.Combine(_folder, $"{Stripe(blobName):x2}.lock");
        var gate = Gates.GetOrAdd(path, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            for (var delayMs = 1; ; delayMs = Math.Min(delayMs * 2, 50))
            {
                try
                {
                    var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1);
                    return new Held(file, gate);
                }
                catch (IOException e) when (IsHeldElsewhere(e))
                {
                    await Task.Delay(delayMs, cancellationToken);
                }
            }
        }
        catch
        {
            gate.Release();
            throw;
        }
    }

    // .NET reports a flock that another holder has as an IOException whose HResult is the errno on Unix (EWOULDBLOCK:
    // 11 on Linux, 35 on macOS) and ERROR_SHARING_VIOLATION on Windows; any other I/O error must surface.
    private static bool IsHeldElsewhere(IOException e) => e.HResult is 11 or 35 or unchecked((int)0x80070020);

    // string.GetHashCode differs per process; every process must map a name to the same lock file.
    private static int Stripe(string blobName)
    {
        var hash = 2166136261u;
        foreach (var c in blobName) hash = (hash ^ c) * 16777619u;
        return (int)(hash % Stripes);
    }

    private sealed class Held(FileStream file, SemaphoreSlim gate) : IDisposable
    {
        public void Dispose()
        {
            file.Dispose();
            gate.Release();
        }
    }
}
