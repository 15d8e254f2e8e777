using System.Runtime.ExceptionServices;
using CloudAssembly.Training.Engine;
using static TorchSharp.torch;

namespace CloudAssembly.Training.Distributed;

/// <summary>
/// The ranks of one process (<c>--devices</c>): one thread and one replica per device, all running the same phase.
/// The first failure stops every rank and is what the caller sees; rank 0's result is the phase's.
/// </summary>
public static class LocalRanks
{
    public static PhaseResult Run(TrainOptions options, Func<TrainOptions, Device, PhaseData> data, Action<PhaseEvent>? observer,
        RankMeeting? meeting, CancellationToken cancellation, CancellationToken preemption)
    {
        var devices = options.Devices;
        if (options.WorldSize % devices.Count != 0 || options.Rank % devices.Count != 0)
            throw new ArgumentException(
                $"--world_size {options.WorldSize} (first rank {options.Rank}) does not split into processes of {devices.Count} --devices ({string.Join(',', devices)}): " +
                "every process drives the same number of devices, so W must be a multiple of it.");
        using var group = Collectives.ForLocalRanks(options, meeting, cancellation);
        var members = group.Members;
        var results = new PhaseResult?[devices.Count];
        Exception? first = null;
        var gate = new object();
        var threads = devices.Select((device, i) => new Thread(() =>
        {
            try
            {
                var rank = options with { Rank = options.Rank + i, Device = device, Devices = [] };
                results[i] = new PhaseRunner(rank, data, observer, members[i]).Run(cancellation, preemption);
            }
            catch (Exception e)
            {
                lock (gate)
                    if (first is null or RankFailedException)
                        first = e;
                group.Fail();
            }
        }) { Name = $"rank {options.Rank + i}" }).ToArray();
        foreach (var thread in threads)
            thread.Start();
        foreach (var thread in threads)
            thread.Join();
        if (first is not null)
            ExceptionDispatchInfo.Throw(first);
        return results[0]!;
    }
}
