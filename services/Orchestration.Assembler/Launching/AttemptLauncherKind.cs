namespace CloudAssembly.Orchestration.Assembler.Launching;

/// <summary>Which <see cref="IAttemptLauncher"/> the Assembler uses (<c>Assembler:Launcher</c>).</summary>
public enum AttemptLauncherKind
{
    /// <summary>Commands on the trainer queue, taken by long-lived trainers (embedded run, AppHost, clusters without Kueue).</summary>
    Queue,

    /// <summary>One Kubernetes Job per attempt, admitted by Kueue; one-shot trainer pods.</summary>
    KubernetesJobs,
}
