using CloudAssembly.Cli.Client;
using CloudAssembly.Cli.Progress;
using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Messaging;
using CloudAssembly.Orchestration.Runs;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CloudAssembly.Services.Tests;

/// <summary>
/// What <c>watch</c> tells about a run already under way, over the real RabbitMQ and Azurite: the run's state is
/// written into the store as the Assembler and a trainer would have left it, and events are published as they send them.
/// </summary>
[Collection("services")]
public sealed class WatchTests : IAsyncLifetime
{
    private static readonly TimeSpan NoPolls = TimeSpan.FromHours(1);
    private readonly BlobContainer blobs = new();
    private readonly string runId = $"watch-{Guid.NewGuid():N}"[..16];
    private Broker broker = null!;
    private IHost client = null!;

    private IBus Bus => client.Services.GetRequiredService<IBus>();
    private RunStore Runs => client.Services.GetRequiredService<RunStore>();
    private LeaseStore Leases => client.Services.GetRequiredService<LeaseStore>();

    public async Task InitializeAsync()
    {
        broker = await Broker.CreateAsync();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddCloudAssembly(new BlobLocation(blobs.Connection, blobs.Name), broker.Uri);
        client = builder.Build();
        await client.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await client.StopAsync();
        client.Dispose();
        await broker.DisposeAsync();
    }

    [Fact]
    public async Task Attached_mid_phase_it_shows_the_phase_epoch_and_step_before_any_event_arrives()
    {
        await StartFinetuneAsync(attempt: 1, "trainer-a", heartbeatAt: DateTimeOffset.UtcNow, progress: 93 + 91);
        var events = new List<object>();

        await using var watcher = await RunWatcher.StartAsync(Bus, Runs, runId, Collect(events), NoPolls);

        Assert.Equal(new PhaseUnderway(runId, PhaseKey.Finetune, 1, "trainer-a", Epoch: 1, Epochs: 8, Step: 91, Steps: 93), Assert.Single(events.OfType<PhaseUnderway>()));
        Assert.Equal(RunStatus.FineTuning, Assert.Single(events.OfType<RunUnderway>()).Status);
        Assert.Contains("FT     attempt 1 on trainer-a: epoch 2/8  step 91/93", Lines(events));
    }

    [Fact]
    public async Task A_trainer_that_stopped_renewing_its_lease_is_told_long_before_the_lease_expires()
    {
        await StartFinetuneAsync(attempt: 1, "trainer-a", heartbeatAt: DateTimeOffset.UtcNow - TimeSpan.FromSeconds(45), progress: 91);
        var events = new List<object>();
        var silent = new TaskCompletionSource<TrainerSilent>(TaskCreationOptions.RunContinuationsAsynchronously);

        await using var watcher = await RunWatcher.StartAsync(Bus, Runs, runId, e =>
        {
            Collect(events)(e);
            if (e is TrainerSilent s)
                silent.TrySetResult(s);
        }, TimeSpan.FromMilliseconds(200));
        // A guard against a watcher that never tells, not a time limit under test.
        var told = await silent.Task.WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(("trainer-a", 1), (told.Trainer, told.Attempt));
        Assert.InRange(told.Silence, RunWatcher.DefaultSilence, TimeSpan.FromSeconds(90));
        Assert.Contains($"FT     no heartbeat from trainer trainer-a for {told.Silence.TotalSeconds:F0} s (attempt 1)", string.Join("\n", Lines(events)));
        Assert.Single(events.OfType<TrainerSilent>());
    }

    [Fact]
    public async Task A_phase_dispatched_again_is_told_with_its_reason_before_the_new_attempt_starts()
    {
        await StartFinetuneAsync(attempt: 1, "trainer-a", heartbeatAt: DateTimeOffset.UtcNow, progress: 91);
        var events = new List<object>();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var watcher = await RunWatcher.StartAsync(Bus, Runs, runId, e =>
        {
            Collect(events)(e);
            if (e is PhaseStarted)
                started.TrySetResult();
        }, NoPolls);

        // What the Assembler does on a lost lease: run.json first (the reason, the next attempt), then the attempt's start arrives.
        const string reason = "trainer 'trainer-a' stopped renewing its lease";
        await Runs.UpdateAsync(runId, r => r.WithPhase(PhaseKey.Finetune, r.Phase(PhaseKey.Finetune) with
        {
            Status = PhaseStatus.Running, Attempt = 2, AttemptId = $"{runId}.FT.2", Trainer = "trainer-b", Error = reason,
        }), default);
        await Bus.Publish(new PhaseStarted(runId, PhaseKey.Finetune, $"{runId}.FT.2", "trainer-b", DateTimeOffset.UtcNow, 2));
        await started.Task.WaitAsync(TimeSpan.FromMinutes(1));

        var told = events.SkipWhile(e => e is not (PhaseRedispatched or PhaseStarted)).Take(2).ToList();
        Assert.Equal(new PhaseRedispatched(runId, PhaseKey.Finetune, 2, reason), Assert.IsType<PhaseRedispatched>(told[0]));
        Assert.Equal(2, Assert.IsType<PhaseStarted>(told[1]).Attempt);
        Assert.Equal(["FT     dispatched again as attempt 2: " + reason, "FT     attempt 2 started on trainer-b"], Lines(told));
    }

    /// <summary>The run in FT, attempt <paramref name="attempt"/> on <paramref name="trainer"/>: its run.json and its lease, 8 epochs of 93 steps.</summary>
    private async Task StartFinetuneAsync(int attempt, string trainer, DateTimeOffset heartbeatAt, long progress)
    {
        var attemptId = $"{runId}.FT.{attempt}";
        var run = RunStateMachine.Create(new SubmitRun(runId, TinyRun.Spec()), DateTimeOffset.UtcNow, null) with { Status = RunStatus.FineTuning };
        await Runs.TryCreateAsync(run.WithPhase(PhaseKey.Finetune, new PhaseState
        {
            Status = PhaseStatus.Running, Attempt = attempt, AttemptId = attemptId, Trainer = trainer, StartedAt = heartbeatAt,
        }), default);
        await Leases.TryClaimAsync(BlobLayout.Lease(runId, PhaseKey.Finetune), new PhaseLease(attemptId, attempt, trainer, heartbeatAt, heartbeatAt,
            Beats: 3, Progress: progress, StepsPerEpoch: 93, Epochs: 8), default);
    }

    private static Action<object> Collect(List<object> events) => e =>
    {
        lock (events)
            events.Add(e);
    };

    private static List<string> Lines(IEnumerable<object> events)
    {
        lock (events)
            return [.. events.Select(RunEventText.Line).OfType<string>()];
    }
}
