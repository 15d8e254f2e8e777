using System.Diagnostics;
using CloudAssembly.Storage;

namespace CloudAssembly.Data.Shards;

/// <summary>
/// Builds a dataset version: each split's images, in a seeded shuffle, are encoded on several threads, written in
/// order into tar shards of about <see cref="ShardOptions.ShardBytes"/>, and uploaded; the index is created last and
/// create-only, which is the commit. The same source and options give byte-identical shards, so an interrupted build
/// resumes by running it again: shards already stored are checked by sha256 and kept, damaged ones replaced. A
/// committed version is never changed.
/// </summary>
public static class DatasetBuilder
{
    public static async Task<BuildReport> BuildAsync(DatasetSource source, IBlobStore store, string name, string version, ShardOptions options,
        IProgress<BuildProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        DatasetLayout.Validate(name, version);
        var clock = Stopwatch.StartNew();
        var preprocessing = PreprocessingFor(source, options);
        var sourceInfo = new SourceInfo(source.Kind, source.Fingerprint);
        if (await DatasetIndex.TryLoadAsync(store, name, version, cancellationToken) is { } existing)
        {
            EnsureSame(existing, sourceInfo, preprocessing, store);
            return new BuildReport(existing, AlreadyExisted: true, 0, 0, 0, clock.Elapsed);
        }

        var work = options.WorkFolder is { } folder
            ? Directory.CreateDirectory(Path.Combine(folder, $"cloudassembly-build-{Guid.NewGuid():N}")).FullName
            : Directory.CreateTempSubdirectory("cloudassembly-build-").FullName;
        try
        {
            var shards = new List<ShardEntry>();
            var skipped = new List<SkippedImage>();
            var outcomes = new List<ShardOutcome>();
            for (var s = 0; s < source.Splits.Count; s++)
            {
                var split = new SplitBuilder(source, source.Splits[s], s, preprocessing, options, store, name, version, work, progress);
                await split.RunAsync(cancellationToken);
                shards.AddRange(split.Shards);
                skipped.AddRange(split.Skipped);
                outcomes.AddRange(split.Outcomes);
            }
            var index = new DatasetIndex(DatasetIndex.CurrentFormat, name, version, source.Classes, sourceInfo, preprocessing, options.OrderSeed,
                shards, skipped);
            await CommitAsync(store, index, cancellationToken);
            return new BuildReport(index, AlreadyExisted: false, outcomes.Count(o => o == ShardOutcome.Uploaded),
                outcomes.Count(o => o == ShardOutcome.Reused), outcomes.Count(o => o == ShardOutcome.Replaced), clock.Elapsed);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static ShardPreprocessing PreprocessingFor(DatasetSource source, ShardOptions options) =>
        options.ResizeShorterSide is { } side
            ? new ShardPreprocessing(ShardPreprocessing.Jpeg, side, options.JpegQuality)
            : new ShardPreprocessing(source.Kind == "FOLDER" ? ShardPreprocessing.Original : ShardPreprocessing.Png, null, null);

    private static void EnsureSame(DatasetIndex existing, SourceInfo source, ShardPreprocessing preprocessing, IBlobStore store)
    {
        if (existing.Source == source && existing.Preprocessing == preprocessing)
            return;
        var what = existing.Source != source
            ? $"from another source ({existing.Source.Kind} {existing.Source.Fingerprint[..19]}…, not {source.Kind} {source.Fingerprint[..19]}…)"
            : $"with other preprocessing ({existing.Preprocessing}, not {preprocessing})";
        throw new InvalidOperationException(
            $"Dataset {existing.Name}/{existing.Version} already exists in {store.Location} and was built {what}; a version never changes: build a new --version.");
    }

    private static async Task CommitAsync(IBlobStore store, DatasetIndex index, CancellationToken cancellationToken)
    {
        var json = index.ToJson();
        try
        {
            await store.PutIfAbsentAsync(DatasetLayout.IndexBlob(index.Name, index.Version), new MemoryStream(json), cancellationToken);
        }
        catch (BlobAlreadyExistsException)
        {
            // Another builder committed first. The same bytes mean it built the same thing, which is fine.
            var theirs = await DatasetIndex.TryLoadAsync(store, index.Name, index.Version, cancellationToken);
            if (theirs is null || !theirs.ToJson().AsSpan().SequenceEqual(json))
                throw new InvalidOperationException(
                    $"Another build committed dataset {index.Name}/{index.Version} in {store.Location} first, with different content; a version never changes: build a new --version.");
        }
    }
}
