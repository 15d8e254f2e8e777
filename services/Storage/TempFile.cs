namespace CloudAssembly.Storage;

/// <summary>
/// Temporary files live beside their target: rename(2) is atomic only within one file system, and the same folder is
/// the one place certain to be on the target's.
/// </summary>
internal static class TempFile
{
    public static string Beside(string targetPath)
    {
        var folder = Path.GetDirectoryName(targetPath)!;
        return Path.Combine(folder, $"{BlobName.ReservedSegmentPrefix}{Path.GetFileName(targetPath)}.{Guid.NewGuid():N}.tmp");
    }

    public static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
