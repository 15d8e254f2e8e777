using System.CommandLine;
using CloudAssembly.Storage;

namespace CloudAssembly.Cli.Commands;

/// <summary><c>cloudassembly bench storage</c>: upload and download throughput of a checkpoint-sized file, per backend given.</summary>
public static class StorageBenchCommand
{
    public static Command Create()
    {
        var stores = StoreOptions.Stores;
        var size = new Option<int>("--mb") { Description = "File size in MiB (a ViT-B checkpoint with optimizer state is about 350).", DefaultValueFactory = _ => 350 };
        var repeats = new Option<int>("--repeats") { Description = "Rounds per store.", DefaultValueFactory = _ => 3 };
        var command = new Command("storage", "Checkpoint upload and download throughput to blob storage (parallel blocks).") { stores, size, repeats };
        command.SetAction(parse => CommandErrors.Run(ct => Task.Run(async () =>
        {
            Console.WriteLine($"{"store",-40}{"MiB",6}{"upload MB/s",14}{"download MB/s",16}");
            foreach (var connection in StoreOptions.ResolveAll(parse.GetValue(stores)))
            {
                var store = BlobStores.Open(connection, "bench");
                for (var i = 0; i < parse.GetValue(repeats); i++)
                {
                    var r = await new StorageBenchmark(store).RunAsync(parse.GetValue(size), cancellationToken: ct);
                    Console.WriteLine($"{r.Location,-40}{r.Megabytes,6}{r.UploadMegabytesPerSecond,14:F0}{r.DownloadMegabytesPerSecond,16:F0}");
                }
            }
            return 0;
        }).GetAwaiter().GetResult()));
        return command;
    }
}
