using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CloudAssembly.Orchestration.Trainer;

/// <summary>
/// At start, before the bus takes any command, removes what a previous trainer process left in this trainer's work
/// folder when it died before its own clean-up ran (SIGKILL, an OOM kill, a container crash). A work folder belongs to
/// one trainer process at a time, and nothing of this one runs yet. On Kubernetes a container restarted in its pod
/// finds <c>/work</c> as the dead one left it, and the preStop hook would wait for that folder to empty.
/// </summary>
public sealed class WorkFolderCleanup(TrainerOptions options, ILogger<WorkFolderCleanup> log) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(options.WorkFolder))
            return Task.CompletedTask;
        foreach (var entry in new DirectoryInfo(options.WorkFolder).EnumerateFileSystemInfos())
        {
            log.LogWarning("Removing {Entry}: a trainer process that stopped without cleaning up left it in the work folder", entry.FullName);
            if (entry is DirectoryInfo folder)
                folder.Delete(recursive: true);
            else
                entry.Delete();
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
