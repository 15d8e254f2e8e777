using System.Collections.Concurrent;
using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Runs;
using CloudAssembly.Orchestration.Telemetry;
using CloudAssembly.Pipeline;
using CloudAssembly.Storage;

namespace CloudAssembly.Orchestration.Assembler;

/// <summary>
/// The Assembler's own work: fetch the K module checkpoints (read through each module's pointer), assemble the full
/// model and store it create-only as <c>runs/{id}/assembled/assembled.pth</c> (if it is already there, from a run of
/// this step that died before recording it, it is used as it is).
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
        var target = BlobLayout.Assembled(run.RunId);
        using var activity = CloudAssemblyTelemetry.StartRunActivity("assemble modules", run.RunId, run.TraceParent);
        if (await store.TryGetPropertiesAsync(target, ct) is not null)
            return target;
        if (options.Faults.FailAssembly)
            throw new InvalidDataException("Assembly fails on purpose (the test setting Assembler:Faults:FailAssembly).");
        var folder = Path.Combine(options.WorkFolder, run.RunId, $"assemble-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var modules = new List<string>();
        for (var i = 0; i < run.Spec.NumModules; i++)
        {
            var source = (await pointers.TryReadAsync(run.RunId, PhaseKey.Module(i).ToString(), ct))?.Pointer.Finished
                ?? throw new InvalidOperationException($"Run '{run.RunId}': module {i} has no finished checkpoint in its pointer yet.");
            var local = Path.Combine(folder, $"MT_{i}.pth");
            await store.DownloadFileAsync(source, local, ct);
            modules.Add(local);
        }
        var assembled = Path.Combine(folder, "assembled.pth");
        await Task.Run(() => ModelAssembler.Assemble(run.Spec, modules, assembled), ct);
        try
        {
            await store.UploadFileAsync(target, assembled, createOnly: true, ct);
        }
        catch (BlobAlreadyExistsException)
        {
        }
        Directory.Delete(folder, recursive: true);
        activity?.SetTag("cloudassembly.assembled_model", target);
        return target;
    }
}
