using CloudAssembly.Contracts;
using CloudAssembly.Data.Datasets;
using CloudAssembly.Data.Shards;
using CloudAssembly.Pipeline;
using CloudAssembly.Storage;
using CloudAssembly.Training;
using CloudAssembly.Training.Engine;
using static TorchSharp.torch;

namespace CloudAssembly.Orchestration.Trainer;

/// <summary>
/// What an attempt trains from: its inputs and the phase's own checkpoints brought down, the phase's options as the
/// seed's scripts spell them (<see cref="PhasePlanner"/>), and its data, read through this trainer's own store.
/// </summary>
public sealed class AttemptSetup(IBlobStore store, TrainPhase command, AttemptLease lease, TrainerOptions options)
{
    public async Task<TrainOptions> PhaseOptionsAsync(string attemptFolder, PhaseFolderSync sync, CancellationToken ct)
    {
        var key = command.Phase;
        var inputs = new List<string>();
        foreach (var input in command.Inputs)
        {
            var local = Path.Combine(attemptFolder, "inputs", input.Replace('/', '_'));
            await lease.OutlastOutageAsync(c => store.DownloadFileAsync(input, local, c), $"downloading {input}", ct);
            inputs.Add(local);
        }
        var (spec, folder, device) = (command.Spec, sync.Folder, options.Device);
        var phase = key.Kind switch
        {
            PhaseKind.PT => PhasePlanner.Pretrain(spec, folder, device),
            PhaseKind.MT => PhasePlanner.Module(spec, key.Index!.Value, inputs[0], folder, device),
            PhaseKind.FT => PhasePlanner.Finetune(spec, inputs[0], folder, device),
            PhaseKind.E2E => PhasePlanner.Baseline(spec, folder, device),
            _ => PhasePlanner.Eval(spec, inputs[0], folder, device),
        };
        if (key.Kind != PhaseKind.Eval)
            await sync.RestoreAsync(ct);
        // Node n of a phase on several pods holds the global ranks n × devices onwards.
        return phase with
        {
            DataSet = command.Dataset.DataSet, DataPath = command.Dataset.DataPath, LibTorch = options.LibTorch,
            Rank = command.NodeRank * Math.Max(phase.Devices.Count, 1),
        };
    }

    /// <summary>A dataset version DataPrep built in this cluster's storage is read through this trainer's own connection.</summary>
    public async Task<Func<TrainOptions, Device, PhaseData>> DataAsync(CancellationToken ct)
    {
        if (!DatasetCatalog.IsShards(command.Dataset.DataSet) || command.Dataset is not { Name: { } name, Version: { } version })
            return PhaseDataFactory.Create;
        var shards = await ShardedDataset.OpenAsync(store, name, version, cancellationToken: ct);
        return (phase, device) => PhaseDataFactory.Create(phase, device, shards);
    }
}
