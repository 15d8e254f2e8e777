using System.Runtime.CompilerServices;

namespace CloudAssembly.Storage;

/// <summary>
/// Blobs as files under a root folder, with the same names (<c>runs/1/PT/checkpoint-3.pth</c> is
/// <c>{root}/runs/1/PT/checkpoint-3.pth</c>). The embedded default: no server, and the files can be inspected by hand.
/// </summary>
/// <remarks>
/// <para>Every write fills a temporary file beside its target (<c>.~{file}.{guid}.tmp</c>, flushed to disk), then, under
/// the blob's <see cref="FolderWriteLock"/>, checks its condition and renames the file into place. A rename is atomic,
/// so readers see the old blob or the new one, and the lock makes create-only and compare-and-swap correct between
/// threads and processes. A crashed writer can leave a temporary file, which listings never show.</para>
/// <para>The ETag is the file's modification time in 100 ns ticks plus its size. Under the lock each write sets the
/// new file's time to max(now, previous time + 1 tick), so every write through the store moves the ETag even within
/// one clock tick, and a hand edit of the file moves it too. A reader takes the ETag from the file it has open, so it
/// always describes exactly the bytes read. This needs a file system with sub-microsecond timestamps (ext4, xfs, btrfs,
/// tmpfs, overlayfs; not FAT).</para>
/// </remarks>
public sealed class FolderBlobStore : IBlobStore
{
    private const FileShare ReadersShare = FileShare.ReadWrite | FileShare.Delete;

    private readonly string _root;
    private readonly FolderWriteLock _lock;
    private readonly BlobTransferOptions _transfer;

    public FolderBlobStore(string root, BlobTransferOptions? transfer = null)
    {
        _root = Path.GetFullPath(root);
        _transfer = transfer ?? BlobTransferOptions.Default;
        _transfer.Validate();
        Directory.CreateDirectory(_root);
        _lock = new FolderWriteLock(_root);
    }

    public string Location => new Uri(_root).AbsoluteUri;

    public Task<string> PutIfAbsentAsync(string name, Stream content, CancellationToken cancellationToken = default) =>
        WriteAsync(name, (temp, ct) => CopyToNewFileAsync(content, temp, ct), WriteCondition.IfAbsent, null, cancellationToken);

    public Task<string> PutIfMatchAsync(string name, Stream content, string etag, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(etag);
        return WriteAsync(name, (temp, ct) => CopyToNewFileAsync(content, temp, ct), WriteCondition.IfMatch, etag, cancellationToken);
    }

    public Task<string> PutAsync(string name, Stream content, CancellationToken cancellationToken = default) =>
        WriteAsync(name, (temp, ct) => CopyToNewFileAsync(content, temp, ct), WriteCondition.None, null, cancellationToken);

    public Task<string> UploadFileAsync(string name, string localPath, bool createOnly, CancellationToken cancellationToken = default)
    {
        return WriteAsync(name, CopyLocalFileAsync, createOnly ? WriteCondition.IfAbsent : WriteCondition.None, null, cancellationToken);

        async Task CopyLocalFileAsync(string temp, CancellationToken ct)
        {
            using var source = File.OpenHandle(localPath, FileMode.Open, FileAccess.Read, ReadersShare);
            await ParallelFileCopy.ToNewFileAsync(source, RandomAccess.GetLength(source), temp, _transfer, ct);
        }
    }

    public Task<BlobContent> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        var file = OpenForRead(name);
        return Task.FromResult(new BlobContent(file, ETagOf(file), file.Length));
    }

    public Task<BlobContent> GetRangeAsync(string name, long offset, long length, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        var file = OpenForRead(name);
        var etag = ETagOf(file);
        var start = Math.Min(offset, file.Length);
        var count = Math.Min(length, file.Length - start);
        file.Position = start;
        return Task.FromResult(new BlobContent(new BoundedReadStream(file, count), etag, count));
    }

    public Task<BlobInfo?> TryGetPropertiesAsync(string name, CancellationToken cancellationToken = default)
    {
        var file = new FileInfo(PathOf(name));
        return Task.FromResult(file.Exists ? Describe(name, file) : null);
    }

    public async IAsyncEnumerable<BlobInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        BlobName.ValidatePrefix(prefix);
        // A deep tree takes a while to walk; keep that off the caller's thread.
        var blobs = await Task.Run(() => Scan(prefix, cancellationToken), cancellationToken);
        foreach (var blob in blobs) yield return blob;
    }

    public async Task DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        var path = PathOf(name);
        using (await _lock.AcquireAsync(name, cancellationToken))
        {
            if (File.Exists(path)) File.Delete(path);
        }
    }

    public async Task<BlobInfo> DownloadFileAsync(string name, string localPath, CancellationToken cancellationToken = default)
    {
        var target = Path.GetFullPath(localPath);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        await using var source = OpenForRead(name);
        var blob = new BlobInfo(name, source.Length, ETagOf(source), File.GetLastWriteTimeUtc(source.SafeFileHandle));
        var temp = TempFile.Beside(target);
        try
        {
            await ParallelFileCopy.ToNewFileAsync(source.SafeFileHandle, blob.Size, temp, _transfer, cancellationToken);
            File.Move(temp, target, overwrite: true);
            return blob;
        }
        finally
        {
            TempFile.TryDelete(temp);
        }
    }

    private async Task<string> WriteAsync(string name, Func<string, CancellationToken, Task> fillTemp, WriteCondition condition,
        string? expectedETag, CancellationToken cancellationToken)
    {
        var path = PathOf(name);
        CreateParentFolder(name, path);
        var temp = TempFile.Beside(path);
        try
        {
            await fillTemp(temp, cancellationToken);
            using (await _lock.AcquireAsync(name, cancellationToken))
            {
                var current = new FileInfo(path);
                if (condition == WriteCondition.IfAbsent && current.Exists)
                    throw new BlobAlreadyExistsException(name);
                if (condition == WriteCondition.IfMatch && (!current.Exists || ETagOf(current) != expectedETag))
                    throw new BlobConditionFailedException(name, expectedETag!);
                if (Directory.Exists(path))
                    throw new BlobStoreException($"Blob '{name}' cannot be written in {Location}: other blobs use it as a folder.");

                File.SetLastWriteTimeUtc(temp, NextWriteTime(current));
                var etag = ETagOf(new FileInfo(temp));
                File.Move(temp, path, overwrite: true);
                return etag;
            }
        }
        finally
        {
            TempFile.TryDelete(temp);
        }
    }

    private List<BlobInfo> Scan(string prefix, CancellationToken cancellationToken)
    {
        var lastSlash = prefix.LastIndexOf('/');
        var start = new DirectoryInfo(lastSlash < 0 ? _root : Path.Combine(_root, prefix[..lastSlash]));
        var found = new List<BlobInfo>();
        if (!start.Exists) return found;

        // On Unix .NET treats dot-files as hidden and skips them by default; blob names may start with a dot.
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true };
        foreach (var file in start.EnumerateFiles("*", options))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = Path.GetRelativePath(_root, file.FullName).Replace(Path.DirectorySeparatorChar, '/');
            if (name.StartsWith(prefix, StringComparison.Ordinal) && !IsReserved(name)) found.Add(Describe(name, file));
        }
        found.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return found;
    }

    private static DateTime NextWriteTime(FileInfo current)
    {
        var now = DateTime.UtcNow;
        if (!current.Exists) return now;
        var previous = current.LastWriteTimeUtc;
        return now > previous ? now : previous.AddTicks(1);
    }

    private static async Task CopyToNewFileAsync(Stream content, string temp, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16);
        await content.CopyToAsync(file, cancellationToken);
        file.Flush(flushToDisk: true);
    }

    private void CreateParentFolder(string name, string path)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        }
        catch (IOException e)
        {
            throw new BlobStoreException($"Blob '{name}' cannot be written in {Location}: a blob already uses part of its path as a name.", e);
        }
    }

    private FileStream OpenForRead(string name)
    {
        var path = PathOf(name);
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, ReadersShare, bufferSize: 1 << 16, useAsync: true);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException || (e is UnauthorizedAccessException && Directory.Exists(path)))
        {
            throw new BlobNotFoundException(name, Location, e);
        }
    }

    private string PathOf(string name)
    {
        BlobName.Validate(name);
        return Path.Combine(_root, name.Replace('/', Path.DirectorySeparatorChar));
    }

    private static bool IsReserved(string name) =>
        name.Split('/').Any(segment => segment.StartsWith(BlobName.ReservedSegmentPrefix, StringComparison.Ordinal));

    private static BlobInfo Describe(string name, FileInfo file) =>
        new(name, file.Length, ETagOf(file), new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero));

    private static string ETagOf(FileInfo file) => FormatETag(file.LastWriteTimeUtc, file.Length);

    private static string ETagOf(FileStream file) => FormatETag(File.GetLastWriteTimeUtc(file.SafeFileHandle), file.Length);

    private static string FormatETag(DateTime lastWriteUtc, long size) => $"\"{lastWriteUtc.Ticks:x}-{size:x}\"";
}
