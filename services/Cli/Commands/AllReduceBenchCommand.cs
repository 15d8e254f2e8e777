using System.CommandLine;
using CloudAssembly.Model;
using CloudAssembly.Storage;
using CloudAssembly.Training.Distributed;

namespace CloudAssembly.Cli.Commands;

/// <summary>
/// <c>cloudassembly bench allreduce</c>: the CPU backends' all-reduce time and bandwidth on one flat fp32 buffer —
/// MPI processes under <c>mpiexec -n W</c>, W threads of this process (<c>--threads W</c>), or W ranks (threads of this
/// process) exchanging through a blob store (<c>--store CONNECTION</c>), as CPU trainer pods do.
/// </summary>
public static class AllReduceBenchCommand
{
    public static Command Create()
    {
        var elements = new Option<long>("--elements") { Description = "Floats in the buffer (default: ViT-B's 86.6 M parameters).", DefaultValueFactory = _ => 86_567_656 };
        var repeats = new Option<int>("--repeats") { Description = "Timed all-reduces.", DefaultValueFactory = _ => 5 };
        var threads = new Option<int>("--threads") { Description = "Ranks as threads of this process (ignored under mpiexec).", DefaultValueFactory = _ => 2 };
        // The shared --store; only a store given on the command line switches the exchange to it, so a
        // CLOUDASSEMBLY_STORE in the environment does not turn the thread benchmark into a storage one.
        var store = StoreOptions.Store;
        var command = new Command("allreduce", "All-reduce time and bandwidth of the CPU backends (MPI under mpiexec, the blob store given by --store as CPU ranks on several pods exchange, else --threads ranks).")
        {
            elements, repeats, threads, store,
        };
        command.SetAction(parse => CommandErrors.Run(_ =>
        {
            TorchRuntime.Initialize("cpu");
            var n = parse.GetValue(elements);
            var r = parse.GetValue(repeats);
            AllReduceBenchmark.Result result;
            if (MpiWorld.LaunchedRank is not null)
            {
                result = AllReduceBenchmark.Run(MpiWorld.Join(), n, r);
                if (MpiWorld.LaunchedRank != 0)
                    return 0;
            }
            else
            {
                var ranks = parse.GetValue(threads);
                var meeting = parse.GetValue(store) is { } connection
                    ? new RankMeeting(BlobStores.Open(connection, "bench"), $"allreduce-bench/{Guid.NewGuid():N}/", TimeSpan.FromMinutes(10))
                    : null;
                using IRankGroup group = meeting is null ? new ThreadGroup(ranks) : StoreGroup.Join(meeting, 0, ranks, ranks, default);
                var results = new AllReduceBenchmark.Result[group.Members.Count];
                Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = results.Length },
                    i => results[i] = AllReduceBenchmark.Run(group.Members[i], n, r));
                result = results[0];
                if (meeting is not null)
                    foreach (var blob in meeting.Store.ListAsync(meeting.Prefix).ToBlockingEnumerable().ToList())
                        meeting.Store.DeleteAsync(blob.Name).GetAwaiter().GetResult();
            }
            Console.WriteLine($"all-reduce of {result.Elements:N0} floats ({result.Elements * 4 / 1e6:F0} MB) over {result.WorldSize} ranks ({result.Backend}), {result.Repeats} times");
            Console.WriteLine($"{result.Milliseconds:F1} ms each, algorithm bandwidth {result.AlgorithmGBps:F2} GB/s, bus bandwidth {result.BusGBps:F2} GB/s");
            return 0;
        }));
        return command;
    }
}
