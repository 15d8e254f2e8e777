using System.CommandLine;
using CloudAssembly.Data.Loading;
using CloudAssembly.Data.Shards;
using CloudAssembly.Training.Loading;
using CloudAssembly.Storage;

namespace CloudAssembly.Cli.Commands;

/// <summary>
/// <c>cloudassembly bench loader</c>: images/s of the data pipeline — shard stream, JPEG decode, the full DeiT
/// training transform at 224, batches — with 1, 2, ... decode threads, per thread and per CPU-second.
/// </summary>
public static class LoaderBenchCommand
{
    public static Command Create()
    {
        var (store, container) = (StoreOptions.Store, StoreOptions.Container);
        var name = new Option<string>("--name") { Description = "Dataset name.", Required = true };
        var version = new Option<string>("--version") { Description = "Dataset version.", DefaultValueFactory = _ => "v1" };
        var split = new Option<string>("--split") { Description = "Split to read.", DefaultValueFactory = _ => "train" };
        var threads = new Option<int[]>("--threads") { Description = "Decode thread counts to time, one run each.", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [1, 2] };
        var repeats = new Option<int>("--repeats") { Description = "1: every image decoded for each output (as a plain loader); 3: repeated augmentation, the copies sharing one decode.", DefaultValueFactory = _ => 1 };
        var batch = new Option<int>("--batch_size") { Description = "Batch size.", DefaultValueFactory = _ => 64 };
        var inputSize = new Option<int>("--input-size") { Description = "Crop size of the training transform.", DefaultValueFactory = _ => 224 };
        var cache = new Option<string?>("--cache") { Description = $"Local shard cache (default ${ShardCache.FolderVariable} or ~/.cache/cloudassembly; bounded by ${CacheBound.Variable})." };
        var command = new Command("loader", "Images/s of the sharded loader with the full DeiT train augmentation, for 1, 2, ... decode threads.")
        {
            store, container, name, version, split, threads, repeats, batch, inputSize, cache,
        };
        command.SetAction(parse => CommandErrors.Run(cancellation =>
        {
            var connection = StoreOptions.Resolve(parse.GetValue(store));
            ShardedDataset dataset;
            try
            {
                dataset = ShardedDataset.OpenAsync(BlobStores.Open(connection, parse.GetValue(container)!), parse.GetValue(name)!, parse.GetValue(version)!,
                    ShardCache.FromEnvironment(parse.GetValue(cache)), cancellation).GetAwaiter().GetResult();
            }
            catch (BlobStoreException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return CommandErrors.UserError;
            }
            var source = dataset.Open(parse.GetValue(split)!, new ShardStreamOptions { Repeats = parse.GetValue(repeats), Seed = 0 });
            Console.WriteLine($"loader: {source.Source}: {source.Count} images ({dataset.Index.Preprocessing}); DeiT train transform at {parse.GetValue(inputSize)} " +
                $"(RandomResizedCrop bicubic, flip, rand-m9-mstd0.5-inc1, normalise, random erasing 0.25), batch {parse.GetValue(batch)}, repeats {parse.GetValue(repeats)}, " +
                $"{Environment.ProcessorCount} cores");
            foreach (var count in parse.GetValue(threads)!)
            {
                var result = new LoaderBenchmark(count, parse.GetValue(batch), parse.GetValue(inputSize)).Run(source, cancellation);
                Console.WriteLine($"threads {result.Threads}: {result.ImagesPerSecond:F1} images/s, {result.ImagesPerSecondPerThread:F1} images/s per thread, " +
                    $"{result.ImagesPerCpuSecond:F1} images per CPU-second ({result.Images} images in {result.Seconds:F1} s)");
            }
            return 0;
        }));
        return command;
    }
}
