namespace CloudAssembly.Storage;

/// <summary>One benchmark round trip; MB here means MiB (1 048 576 bytes).</summary>
public sealed record StorageBenchmarkResult(string Location, int Megabytes, TimeSpan Upload, TimeSpan Download)
{
    public double UploadMegabytesPerSecond => Megabytes / Upload.TotalSeconds;

    public double DownloadMegabytesPerSecond => Megabytes / Download.TotalSeconds;

    public override string ToString() =>
        $"{Location}: {Megabytes} MB upload {UploadMegabytesPerSecond:F0} MB/s ({Upload.TotalSeconds:F2} s), " +
        $"download {DownloadMegabytesPerSecond:F0} MB/s ({Download.TotalSeconds:F2} s)";
}
