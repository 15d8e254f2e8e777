using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Runs;

namespace CloudAssembly.Orchestration.Tests;

/// <summary>The run state machine as a table: (state, event) → (status, messages sent), with nothing but pure functions.</summary>
public class RunStateMachineTests
{
    private const string Id = "run-1";
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly RunSpec Spec = RunSpec.FashionMnistDemo() with { Depths = [2, 2], MetaDepths = [1, 1] };
    private static readonly DatasetRef Dataset = new("SHARDS", "fmnist/v1", "fmnist", "v1");

    private static string Finished(PhaseKey phase, int attempt = 1) => BlobLayout.Finished(Id, phase, attempt);

    private static PhaseMetrics Metrics => new(50, 90, 1.0, 1, 1, 1, 100);

    private static RunDocument Step(RunDocument run, Func<RunDocument, RunDocument?> change) =>
        RunStateMachine.Apply(run, change, Now)?.Run ?? throw new InvalidOperationException("the step changed nothing");

    private static RunDocument Submitted => RunStateMachine.Advance(RunStateMachine.Create(new SubmitRun(Id, Spec), Now, null), Now).Run;

    private static RunDocument Pretraining => Step(Submitted, r => RunStateMachine.OnDatasetReady(r, new DatasetReady(Id, Dataset, 10, 10, true)));

    private static RunDocument PretrainingRunning(int attempt = 1) => Enumerable.Range(1, attempt - 1).Aggregate(
        Step(Pretraining, r => RunStateMachine.OnPhaseStarted(r, new PhaseStarted(Id, PhaseKey.Pretrain, $"{Id}.PT.1", "t1", Now, 1))),
        (run, a) => Step(run, r => RunStateMachine.OnPhaseFailed(r, new PhaseFailed(Id, PhaseKey.Pretrain, $"{Id}.PT.{a}", "boom", true))));

    private static RunDocument Preempted(int times) => Enumerable.Range(1, times).Aggregate(PretrainingRunning(),
        (run, a) => Step(run, r => RunStateMachine.OnPhasePreempted(r, new PhasePreempted(Id, PhaseKey.Pretrain, $"{Id}.PT.{a}", "SIGTERM"))));

    private static RunDocument Complete(RunDocument run, PhaseKey phase) =>
        Step(run, r => RunStateMachine.OnPhaseCompleted(r, new PhaseCompleted(Id, phase, $"{Id}.{phase}.1", Finished(phase), Metrics), Now));

    private static RunDocument ModulesDone => Complete(Complete(Complete(Pretraining, PhaseKey.Pretrain), PhaseKey.Module(0)), PhaseKey.Module(1));

    private static RunDocument Assembled => Step(ModulesDone, r => RunStateMachine.OnAssembled(r, BlobLayout.Assembled(Id, "a1")));

    private static RunDocument FineTuned => Complete(Assembled, PhaseKey.Finetune);

    /// <summary>The same run with PT on two pods: every attempt of PT is two rank slots.</summary>
    private static RunDocument OnTwoPods => Step(RunStateMachine.Advance(RunStateMachine.Create(new SubmitRun(Id, Spec with
    {
        Pretrain = Spec.Pretrain with { Nodes = 2 },
    }), Now, null), Now).Run, r => RunStateMachine.OnDatasetReady(r, new DatasetReady(Id, Dataset, 10, 10, true)));

    private static RunDocument OnTwoPodsRunning(int attempt = 1) => Enumerable.Range(1, attempt - 1).Aggregate(
        Step(OnTwoPods, r => RunStateMachine.OnPhaseStarted(r, new PhaseStarted(Id, PhaseKey.Pretrain, $"{Id}.PT.1", "t1", Now, 1))),
        (run, a) => Step(run, r => RunStateMachine.OnPhaseFailed(r, new PhaseFailed(Id, PhaseKey.Pretrain, $"{Id}.PT.{a}", "node 1 of 2: killed", true))));

    public static TheoryData<string, Func<RunDocument>, Func<RunDocument, RunDocument?>, RunStatus?, string> Table => new()
    {
        { "submitted: the dataset is asked for", () => RunStateMachine.Create(new SubmitRun(Id, Spec), Now, null), r => r, RunStatus.PreparingData, "PrepareDataset" },
        { "dataset ready: PT is dispatched", () => Submitted, r => RunStateMachine.OnDatasetReady(r, new DatasetReady(Id, Dataset, 10, 10, true)), RunStatus.Pretraining, "TrainPhase PT 1" },
        { "dataset failed: the run fails", () => Submitted, r => RunStateMachine.OnDatasetFailed(r, new DatasetFailed(Id, "no such folder")), RunStatus.Failed, "RunFailed" },
        { "a late failure of an older dataset request: nothing", () => Submitted with { DatasetGeneration = 2 }, r => RunStateMachine.OnDatasetFailed(r, new DatasetFailed(Id, "lost build", 1)), null, "" },
        { "preempted for the 20th time: RunFailed", () => Preempted(19), r => RunStateMachine.OnPhasePreempted(r, new PhasePreempted(Id, PhaseKey.Pretrain, $"{Id}.PT.20", "SIGTERM")), RunStatus.Failed, "RunFailed" },
        { "preempted for the 19th time: dispatched again", () => Preempted(18), r => RunStateMachine.OnPhasePreempted(r, new PhasePreempted(Id, PhaseKey.Pretrain, $"{Id}.PT.19", "SIGTERM")), RunStatus.Pretraining, "TrainPhase PT 20" },
        { "dataset failed after the dataset is set: nothing", () => Pretraining, r => RunStateMachine.OnDatasetFailed(r, new DatasetFailed(Id, "late")), null, "" },
        { "PT unclaimed for long: the same attempt sent again, a newer copy", () => Pretraining, r => RunStateMachine.OnUnclaimed(r, PhaseKey.Pretrain, $"{Id}.PT.1"), RunStatus.Pretraining, "TrainPhase PT 1 copy 2" },
        { "a preempted attempt: dispatched again", () => PretrainingRunning(), r => RunStateMachine.OnPhasePreempted(r, new PhasePreempted(Id, PhaseKey.Pretrain, $"{Id}.PT.1", "SIGTERM")), RunStatus.Pretraining, "TrainPhase PT 2" },
        { "preempted on its last attempt: still dispatched again, not counted", () => PretrainingRunning(3), r => RunStateMachine.OnPhasePreempted(r, new PhasePreempted(Id, PhaseKey.Pretrain, $"{Id}.PT.3", "SIGTERM")), RunStatus.Pretraining, "TrainPhase PT 4" },
        { "PT started", () => Pretraining, r => RunStateMachine.OnPhaseStarted(r, new PhaseStarted(Id, PhaseKey.Pretrain, $"{Id}.PT.1", "t1", Now, 1)), RunStatus.Pretraining, "" },
        { "PT completed: both modules dispatched", () => PretrainingRunning(), r => RunStateMachine.OnPhaseCompleted(r, new PhaseCompleted(Id, PhaseKey.Pretrain, $"{Id}.PT.1", Finished(PhaseKey.Pretrain), Metrics), Now), RunStatus.TrainingModules, "TrainPhase MT_0 1, TrainPhase MT_1 1" },
        { "PT completed naming a checkpoint not its own: nothing", () => PretrainingRunning(), r => RunStateMachine.OnPhaseCompleted(r, new PhaseCompleted(Id, PhaseKey.Pretrain, $"{Id}.PT.1", $"runs/{Id}/MT_0/attempt-1/finished_checkpoint.pth", Metrics), Now), null, "" },
        { "PT completed naming a path outside the run: nothing", () => PretrainingRunning(), r => RunStateMachine.OnPhaseCompleted(r, new PhaseCompleted(Id, PhaseKey.Pretrain, $"{Id}.PT.1", "runs/other/PT/attempt-1/finished_checkpoint.pth", Metrics), Now), null, "" },
        { "PT failed, retryable: a second attempt", () => PretrainingRunning(), r => RunStateMachine.OnPhaseFailed(r, new PhaseFailed(Id, PhaseKey.Pretrain, $"{Id}.PT.1", "oom", true)), RunStatus.Pretraining, "TrainPhase PT 2" },
        { "PT failed on its last attempt: RunFailed", () => PretrainingRunning(3), r => RunStateMachine.OnPhaseFailed(r, new PhaseFailed(Id, PhaseKey.Pretrain, $"{Id}.PT.3", "oom", true)), RunStatus.Failed, "RunFailed" },
        { "PT failed, not retryable: RunFailed at once", () => PretrainingRunning(), r => RunStateMachine.OnPhaseFailed(r, new PhaseFailed(Id, PhaseKey.Pretrain, $"{Id}.PT.1", "bad spec", false)), RunStatus.Failed, "RunFailed" },
        { "a failure of an old attempt: nothing", () => PretrainingRunning(2), r => RunStateMachine.OnPhaseFailed(r, new PhaseFailed(Id, PhaseKey.Pretrain, $"{Id}.PT.1", "late", true)), null, "" },
        { "lease expired: a second attempt", () => PretrainingRunning(), r => RunStateMachine.OnLeaseExpired(r, PhaseKey.Pretrain, $"{Id}.PT.1", 5, "silent"), RunStatus.Pretraining, "TrainPhase PT 2" },
        { "lease expired on the last attempt: RunFailed", () => PretrainingRunning(3), r => RunStateMachine.OnLeaseExpired(r, PhaseKey.Pretrain, $"{Id}.PT.3", 5, "silent"), RunStatus.Failed, "RunFailed" },
        { "modules done: assembly, no dispatch yet", () => Complete(Complete(Pretraining, PhaseKey.Pretrain), PhaseKey.Module(0)), r => RunStateMachine.OnPhaseCompleted(r, new PhaseCompleted(Id, PhaseKey.Module(1), $"{Id}.MT_1.1", Finished(PhaseKey.Module(1)), Metrics), Now), RunStatus.FineTuning, "assemble" },
        { "assembled: FT dispatched", () => ModulesDone, r => RunStateMachine.OnAssembled(r, BlobLayout.Assembled(Id, "a1")), RunStatus.FineTuning, "TrainPhase FT 1" },
        { "assembly failed once: tried again", () => ModulesDone, r => RunStateMachine.OnAssemblyFailed(r, "disk full"), RunStatus.FineTuning, "assemble" },
        { "assembly failed a third time: RunFailed", () => Step(Step(ModulesDone, r => RunStateMachine.OnAssemblyFailed(r, "x")), r => RunStateMachine.OnAssemblyFailed(r, "x")), r => RunStateMachine.OnAssemblyFailed(r, "disk full"), RunStatus.Failed, "RunFailed" },
        { "FT completed: Eval dispatched", () => Assembled, r => RunStateMachine.OnPhaseCompleted(r, new PhaseCompleted(Id, PhaseKey.Finetune, $"{Id}.FT.1", Finished(PhaseKey.Finetune), Metrics), Now), RunStatus.Evaluating, "TrainPhase Eval 1" },
        { "Eval completed on the FT model: RunCompleted", () => FineTuned, r => RunStateMachine.OnPhaseCompleted(r, new PhaseCompleted(Id, PhaseKey.Eval, $"{Id}.Eval.1", Finished(PhaseKey.Finetune), Metrics), Now), RunStatus.Completed, "RunCompleted" },
        { "PT on 2 pods: one attempt as two rank slots", () => Submitted with { Spec = Spec with { Pretrain = Spec.Pretrain with { Nodes = 2 } } }, r => RunStateMachine.OnDatasetReady(r, new DatasetReady(Id, Dataset, 10, 10, true)), RunStatus.Pretraining, "TrainPhase PT 1 node 0/2, TrainPhase PT 1 node 1/2" },
        { "PT on 2 pods, node 1 failed: the whole attempt fails and both slots start again", () => OnTwoPodsRunning(), r => RunStateMachine.OnPhaseFailed(r, new PhaseFailed(Id, PhaseKey.Pretrain, $"{Id}.PT.1", "node 1 of 2 (trainer 't2'): killed", true)), RunStatus.Pretraining, "TrainPhase PT 2 node 0/2, TrainPhase PT 2 node 1/2" },
        { "PT on 2 pods, node 1's lease went stale: the whole attempt again", () => OnTwoPodsRunning(), r => RunStateMachine.OnLeaseExpired(r, PhaseKey.Pretrain, $"{Id}.PT.1", 5, "trainer 't2' (node 1 of 2) stopped renewing its lease"), RunStatus.Pretraining, "TrainPhase PT 2 node 0/2, TrainPhase PT 2 node 1/2" },
        { "PT on 2 pods, the rendezvous never filled: the attempt is released and both slots start again", () => OnTwoPodsRunning(), r => RunStateMachine.OnPhaseFailed(r, new PhaseFailed(Id, PhaseKey.Pretrain, $"{Id}.PT.1", "node 0 of 2 (trainer 't1'): Rendezvous 'x' did not fill within 600 s: rank(s) 1 of 2 never joined.", true)), RunStatus.Pretraining, "TrainPhase PT 2 node 0/2, TrainPhase PT 2 node 1/2" },
        { "PT on 2 pods, a node of the older attempt fails: nothing", () => OnTwoPodsRunning(2), r => RunStateMachine.OnPhaseFailed(r, new PhaseFailed(Id, PhaseKey.Pretrain, $"{Id}.PT.1", "node 1 of 2: late", true)), null, "" },
        { "PT on 2 pods, node 1 unclaimed while node 0 runs: both slots sent again, newer copies", () => OnTwoPodsRunning(), r => RunStateMachine.OnUnclaimed(r, PhaseKey.Pretrain, $"{Id}.PT.1"), RunStatus.Pretraining, "TrainPhase PT 1 node 0/2 copy 2, TrainPhase PT 1 node 1/2 copy 2" },
        { "PT on 2 pods, node 1 failed on the last attempt: RunFailed", () => OnTwoPodsRunning(3), r => RunStateMachine.OnPhaseFailed(r, new PhaseFailed(Id, PhaseKey.Pretrain, $"{Id}.PT.3", "node 1 of 2: killed", true)), RunStatus.Failed, "RunFailed" },
        { "cancel while running: RunCancelled", () => PretrainingRunning(), r => RunStateMachine.OnCancel(r, new CancelRun(Id, "enough")), RunStatus.Cancelled, "RunCancelled" },
        { "cancel a finished run: nothing", () => Step(PretrainingRunning(), r => RunStateMachine.OnCancel(r, new CancelRun(Id, "enough"))), r => RunStateMachine.OnCancel(r, new CancelRun(Id, "again")), null, "" },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void An_event_in_a_state_gives_the_next_status_and_exactly_these_messages(string row, Func<RunDocument> state,
        Func<RunDocument, RunDocument?> change, RunStatus? expectedStatus, string expectedMessages)
    {
        var applied = RunStateMachine.Apply(state(), change, Now);
        if (expectedStatus is null)
        {
            Assert.True(applied is null, $"{row}: the event should change nothing");
            return;
        }
        Assert.NotNull(applied);
        Assert.Equal(expectedStatus, applied.Value.Run.Status);
        var sent = applied.Value.Messages.Select(m => m switch
        {
            TrainPhase t => $"TrainPhase {t.Phase} {t.Attempt}" + (t.Nodes > 1 ? $" node {t.NodeRank}/{t.Nodes}" : "")
                + (t.Generation > 1 ? $" copy {t.Generation}" : ""),
            _ => m.GetType().Name,
        }).Concat(applied.Value.Assemble ? ["assemble"] : []);
        Assert.Equal(expectedMessages, string.Join(", ", sent));
    }

    [Fact]
    public void Attempts_exhausted_fail_the_run_naming_the_phase_and_the_cause()
    {
        var applied = RunStateMachine.Apply(PretrainingRunning(3), r => RunStateMachine.OnPhaseFailed(r, new PhaseFailed(Id, PhaseKey.Pretrain, $"{Id}.PT.3", "CUDA out of memory", true)), Now);
        var failed = Assert.IsType<RunFailed>(Assert.Single(applied!.Value.Messages));
        Assert.Equal("PT failed after 3 attempt(s): CUDA out of memory", failed.Reason);
    }

    [Fact]
    public void Messages_survive_the_outbox_round_trip()
    {
        var command = Assert.IsType<TrainPhase>(Assert.Single(RunStateMachine.Apply(Submitted,
            r => RunStateMachine.OnDatasetReady(r, new DatasetReady(Id, Dataset, 10, 10, true)), Now)!.Value.Messages));
        var back = Assert.IsType<TrainPhase>(OutboxMessage.From(command).ToMessage());
        Assert.Equal((command.RunId, command.Phase, command.AttemptId), (back.RunId, back.Phase, back.AttemptId));
        var slot = command with { NodeRank = 1, Nodes = 2 };
        var slotBack = Assert.IsType<TrainPhase>(OutboxMessage.From(slot).ToMessage());
        Assert.Equal((1, 2), (slotBack.NodeRank, slotBack.Nodes));
        Assert.Equal(command.Spec.Depths, back.Spec.Depths);
        Assert.Equal(command.Dataset, back.Dataset);
    }

    [Fact]
    public void Failed_preempted_and_silent_attempts_count_in_the_phase_and_run_cost_as_lost()
    {
        PhaseStarted Started(int attempt) => new(Id, PhaseKey.Pretrain, $"{Id}.PT.{attempt}", $"t{attempt}", Now.AddSeconds(100 * attempt), attempt);
        var run = Step(Pretraining, r => RunStateMachine.OnPhaseStarted(r, Started(1)));
        run = Step(run, r => RunStateMachine.OnPhaseFailed(r, new PhaseFailed(Id, PhaseKey.Pretrain, $"{Id}.PT.1", "native error", true, 20, 20)));
        run = Step(run, r => RunStateMachine.OnPhaseStarted(r, Started(2)));
        run = Step(run, r => RunStateMachine.OnPhasePreempted(r, new PhasePreempted(Id, PhaseKey.Pretrain, $"{Id}.PT.2", "SIGTERM", 10, 10)));
        run = Step(run, r => RunStateMachine.OnPhaseStarted(r, Started(3)));
        run = Step(run, r => RunStateMachine.OnLeaseExpired(r, PhaseKey.Pretrain, $"{Id}.PT.3", 5, "silent"));
        run = Step(run, r => RunStateMachine.OnPhaseCompleted(r, new PhaseCompleted(Id, PhaseKey.Pretrain, $"{Id}.PT.4", Finished(PhaseKey.Pretrain, 4),
            new PhaseMetrics(50, 90, 1.0, 1, 30, 30, 100)), Now));

        var pt = run.Phase(PhaseKey.Pretrain);
        Assert.Equal([(1, LostAttemptEnd.Failed, 20.0), (2, LostAttemptEnd.Preempted, 10.0), (3, LostAttemptEnd.LeaseExpired, 5.0)],
            pt.Lost.Select(a => (a.Attempt, a.End, a.DeviceSeconds)));
        Assert.Equal(("t1", Now.AddSeconds(100), Now.AddSeconds(120)), (pt.Lost[0].Trainer, pt.Lost[0].StartedAt, pt.Lost[0].EndedAt));
        var metrics = pt.Metrics!;
        Assert.Equal((65.0, 65.0, 35.0, 35.0), (metrics.WallSeconds, metrics.DeviceSeconds, metrics.LostWallSeconds, metrics.LostDeviceSeconds));
        Assert.Equal(Spec.Pretrain.Epochs, metrics.Epochs);

        var done = Complete(Complete(run, PhaseKey.Module(0)), PhaseKey.Module(1));
        done = Complete(Step(done, r => RunStateMachine.OnAssembled(r, BlobLayout.Assembled(Id, "a1"))), PhaseKey.Finetune);
        done = Step(done, r => RunStateMachine.OnPhaseCompleted(r, new PhaseCompleted(Id, PhaseKey.Eval, $"{Id}.Eval.1", Finished(PhaseKey.Finetune), Metrics), Now));
        Assert.Equal(RunStatus.Completed, done.Status);
        Assert.Equal(65 + 4 * 1, done.Metrics!.DeviceSeconds, 6);
        Assert.Equal(35, done.Metrics.LostDeviceSeconds, 6);
    }
}
