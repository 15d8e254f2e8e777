using System.CommandLine;
using CloudAssembly.Data.Shards;
using CloudAssembly.Storage;

namespace CloudAssembly.Cli.Commands;

/// <summary>
/// <c>cloudassembly dataset build</c> writes a dataset version as WebDataset shards plus index.json into a blob store
/// (a folder or Azure); <c>dataset inspect</c> prints a version's index and, with --verify, checks every shard's sha256.
/// </summary>
public static class DatasetCommand
{
    public static Command Create() => new("dataset", "Build sharded dataset versions in blob storage and inspect them.")
    {
        Build(),
        Inspect(),
    };

    private static Option<string> Name() => new("--name") { Description = "Dataset name (lowercase letters, digits, '.', '_', '-').", Required = true };

    private static Command Build()
    {
        var source = new Option<string>("--source") { Description = "train/ and val/ class folders, or a folder of IDX files.", Required = true };
        var kind = new Option<string>("--kind") { Description = "auto, FOLDER, FMNIST or MNIST (IDX files need FMNIST or MNIST).", DefaultValueFactory = _ => "auto" };
        var name = Name();
        var version = new Option<string>("--version") { Description = "Dataset version; a committed version never changes.", DefaultValueFactory = _ => "v1" };
        var store = StoreOptions.Store;
        var container = StoreOptions.Container;
        var shardSize = new Option<int>("--shard-size") { Description = "Target shard size in MiB.", DefaultValueFactory = _ => 128 };
        var resize = new Option<int?>("--resize") { Description = "Pre-resize so the shorter side is at most this many pixels, re-encoding as JPEG." };
        var quality = new Option<int>("--quality") { Description = "JPEG quality of pre-resized images.", DefaultValueFactory = _ => 90 };
        var workers = new Option<int>("--workers") { Description = "Encoding threads.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("build", "Encode a source into tar shards and commit the version by writing its index.json last; rerun to resume.")
        {
            source, kind, name, version, store, container, shardSize, resize, quality, workers,
        };
        command.SetAction(parse => RunWithStore(parse.GetValue(store), parse.GetValue(container)!, (blobs, cancellation) =>
        {
            var options = new ShardOptions
            {
                ShardBytes = parse.GetValue(shardSize) * 1024L * 1024,
                ResizeShorterSide = parse.GetValue(resize),
                JpegQuality = parse.GetValue(quality),
                Workers = parse.GetValue(workers),
            };
            var dataSource = DatasetSource.Open(parse.GetValue(source)!, parse.GetValue(kind)!);
            var (datasetName, datasetVersion) = (parse.GetValue(name)!, parse.GetValue(version)!);
            Console.WriteLine($"{dataSource.Kind} {dataSource.Path}: {string.Join(", ", dataSource.Splits.Select(s => $"{s} {dataSource.Split(s).Count}"))} images, " +
                $"{dataSource.Classes.Count} classes → {datasetName}/{datasetVersion} in {blobs.Location}");
            var line = new BuildLine();
            var report = DatasetBuilder.BuildAsync(dataSource, blobs, datasetName, datasetVersion, options, line, cancellation).GetAwaiter().GetResult();
            line.Close();
            Print(report, StoreOptions.Resolve(parse.GetValue(store)), parse.GetValue(container)!);
            return 0;
        }));
        return command;
    }

    private static Command Inspect()
    {
        var name = Name();
        var version = new Option<string>("--version") { Description = "Dataset version.", Required = true };
        var store = StoreOptions.Store;
        var container = StoreOptions.Container;
        var verify = new Option<bool>("--verify") { Description = "Download every shard and check its sha256 against the index." };
        var command = new Command("inspect", "Print a dataset version's index; --verify checks every shard's sha256.")
        {
            name, version, store, container, verify,
        };
        command.SetAction(parse => RunWithStore(parse.GetValue(store), parse.GetValue(container)!, (blobs, cancellation) =>
        {
            var index = DatasetIndex.LoadAsync(blobs, parse.GetValue(name)!, parse.GetValue(version)!, cancellation).GetAwaiter().GetResult();
            Console.WriteLine($"{index.Name}/{index.Version} in {blobs.Location} (format {index.Format})");
            Console.WriteLine($"  classes      {index.Classes.Count}: {string.Join(", ", index.Classes.Take(8))}{(index.Classes.Count > 8 ? ", ..." : "")}");
            Console.WriteLine($"  source       {index.Source.Kind} {index.Source.Fingerprint}");
            Console.WriteLine($"  encoding     {index.Preprocessing}; sample order seed {index.OrderSeed}");
            foreach (var split in index.Splits)
            {
                var shards = index.ShardsOf(split);
                Console.WriteLine($"  {split,-12} {index.Count(split)} samples in {shards.Count} shards, {shards.Sum(s => s.Bytes) / 1048576.0:F1} MiB");
            }
            Console.WriteLine($"  skipped      {index.Skipped.Count} unreadable source images");
            if (parse.GetValue(verify))
            {
                var done = 0;
                var line = new Inline(_ =>
                {
                    if (++done < index.Shards.Count && !Console.IsOutputRedirected)
                        Console.Write($"\r  verified     {done}/{index.Shards.Count} shards");
                });
                ShardHashes.VerifyAsync(blobs, index, line, cancellation)
                    .GetAwaiter().GetResult();
                Console.WriteLine($"\r  verified     {done}/{index.Shards.Count} shards: every sha256 matches the index");
            }
            return 0;
        }));
        return command;
    }

    /// <summary>Opens the store and runs the body under <see cref="CommandErrors"/>; storage failures become one line too.</summary>
    private static int RunWithStore(string? store, string container, Func<IBlobStore, CancellationToken, int> body) => CommandErrors.Run(cancellation =>
    {
        try
        {
            return body(BlobStores.Open(StoreOptions.Resolve(store), container), cancellation);
        }
        catch (BlobStoreException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return CommandErrors.UserError;
        }
    });

    private static void Print(BuildReport report, string connection, string container)
    {
        var index = report.Index;
        var splits = string.Join(", ", index.Splits.Select(s => $"{s} {index.Count(s)}"));
        if (report.AlreadyExisted)
            Console.WriteLine($"{index.Name}/{index.Version} already exists ({splits}); nothing written.");
        else
            Console.WriteLine($"{index.Name}/{index.Version} committed: {splits} samples in {index.Shards.Count} shards " +
                $"({index.Shards.Sum(s => s.Bytes) / 1048576.0:F1} MiB, {index.Preprocessing}); uploaded {report.Uploaded}, " +
                $"kept {report.Reused}, replaced {report.Replaced}; {report.Elapsed.TotalSeconds:F1} s");
        if (report.Skipped.Count > 0)
        {
            Console.WriteLine($"skipped {report.Skipped.Count} unreadable source images:");
            foreach (var skipped in report.Skipped)
                Console.WriteLine($"  {skipped.Split}: {skipped.Reason}");
        }
        var folder = connection.Contains('=') ? null : connection;
        Console.WriteLine($"train with: --data-set SHARDS --data-path '{DatasetLocation.Format(folder, container, index.Name, index.Version)}'" +
            (folder is null ? $" (and {DatasetLocation.ConnectionVariable} set)" : ""));
    }

    private sealed class Inline(Action<ShardEntry> report) : IProgress<ShardEntry>
    {
        public void Report(ShardEntry value) => report(value);
    }

    /// <summary>One progress line per split, rewritten in place on a terminal.</summary>
    private sealed class BuildLine : IProgress<BuildProgress>
    {
        private bool open;

        public void Report(BuildProgress value)
        {
            if (Console.IsOutputRedirected)
                return;
            Console.Write($"\r  {value.Split,-6} {value.Done}/{value.Total} images, {value.Shards} shards");
            open = true;
        }

        public void Close()
        {
            if (open)
                Console.WriteLine();
            open = false;
        }
    }
}
