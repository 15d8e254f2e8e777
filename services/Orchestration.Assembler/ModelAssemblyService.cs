using System.Collections.Concurrent;
using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Runs;
using CloudAssembly.Orchestration.Telemetry;
using CloudAssembly.Pipeline;
using CloudAssembly.Storage;

namespace CloudAssembly.Orchestration.Assembler;

/// <summary>
/// The Assembler's own work: fetch the K module checkpoints (read through each module's pointer), assemble the full
/// model, upload it under this assembling's own name and publish it through the create-only pointer
/// <c>runs/{id}/assembled/latest.json</c>. Two Assemblers assembling at once (a rollout) never write the same blob:
/// the first pointer wins, the other reads the winner's name and deletes its own copy; one that finds the pointer
/// already there (an earlier try died before recording it in the run) uses it as it is.
/// </summary>
public sealed class ModelAssemblyService(IBlobStore store, PointerStore pointers, AssemblerOptions options)
{
    // The event that completes the last module and the watchdog's reconcile can both ask at once: assemble once.
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> inFlight = new();

    public async Task<string> AssembleAsync(RunDocument run, CancellationToken ct)
    {
        var work = inFlight.GetOrAdd(run.RunId, _ => new Lazy<Task<string>>(() => AssembleOnceAsync(run, ct)));
        try
        {
            return await work.Value;
        }
        finally
        {
            inFlight.TryRemove(new KeyValuePair<string, Lazy<Task<string>>>(run.RunId, work));
        }
    }

    private async Task<string> AssembleOnceAsync(RunDocument run, CancellationToken ct)
    {
        using var activity = CloudAssemblyTelemetry.StartRunActivity("assemble modules", run.RunId, run.TraceParent);
        if (await pointers.TryReadAsync(BlobLayout.AssembledPointer(run.RunId), ct) is { Pointer.Finished: { } published })
            return published;
        if (options.Faults.FailAssembly)
            throw new InvalidDataException("Assembly fails on purpose (the test setting Assembler:Faults:FailAssembly).");
        var assembling = $"{Guid.NewGuid():N}"[..12];
        var folder = Path.Combine(options.WorkFolder, run.RunId, $"assemble-{assembling}");
        Directory.CreateDirectory(folder);
        var modules = new List<string>();
        for (var i = 0; i < run.Spec.NumModules; i++)
        {
            var source = (await pointers.TryReadAsync(BlobLayout.Pointer(run.RunId, PhaseKey.Module(i)), ct))?.Pointer.Finished
                ?? throw new InvalidOperationException($"Run '{run.RunId}': module {i} has no finished checkpoint in its pointer yet.");
            var local = Path.Combine(folder, $"MT_{i}.pth");
            await store.DownloadFileAsync(source, local, ct);
            modules.Add(local);
        }
        var assembled = Path.Combine(folder, "assembled.pth");
        await Task.Run(() => ModelAssembler.Assemble(run.Spec, modules, assembled), ct);
        var own = BlobLayout.Assembled(run.RunId, assembling);
        await store.UploadFileAsync(own, assembled, createOnly: true, ct);
        Directory.Delete(folder, recursive: true);
        var winner = await pointers.PublishOnceAsync(BlobLayout.AssembledPointer(run.RunId), own, ct);
        if (winner != own)
            await store.DeleteAsync(own, ct);
        activity?.SetTag("cloudassembly.assembled_model", winner);
        return winner;
    }
}
