using CloudAssembly.Contracts;

namespace CloudAssembly.Orchestration.Runs;

/// <summary>
/// The run as a state machine over <see cref="RunDocument"/>: PT → K × MT → assemble → FT → Eval → completed (with an
/// optional E2E baseline beside it), cancel, and failure after bounded retries. Every function is pure: it returns the
/// new document, or null when the event changes nothing (a duplicate, a late message from an old attempt, an event
/// for a finished run). <see cref="Advance"/> then says what to send; dispatches carry deterministic attempt ids, so
/// sending one twice is harmless.
/// </summary>
public static class RunStateMachine
{
    public const int MaxAttempts = 3;

    /// <summary>Preemptions are not failures, but a phase that never gets to finish (a spot pool reclaimed every hour) must end.</summary>
    public const int MaxPreemptions = 20;

    /// <summary>A new run's document; the spec was checked at the door (RunSpecRules) before.</summary>
    public static RunDocument Create(SubmitRun submit, DateTimeOffset now, string? traceParent, string? owner = null) =>
        new() { RunId = submit.RunId, Spec = submit.Spec, CreatedAt = now, UpdatedAt = now, TraceParent = traceParent, Owner = owner };

    /// <summary>The jobs this run is made of, in the order they become ready.</summary>
    public static IReadOnlyList<PhaseKey> Jobs(RunSpec spec)
    {
        var jobs = new List<PhaseKey> { PhaseKey.Pretrain };
        if (spec.Baseline is not null)
            jobs.Add(PhaseKey.Baseline);
        jobs.AddRange(Enumerable.Range(0, spec.NumModules).Select(PhaseKey.Module));
        jobs.Add(PhaseKey.Finetune);
        jobs.Add(PhaseKey.Eval);
        return jobs;
    }

    /// <summary>The pods (rank slots) one attempt of the job runs on; the final evaluation is one rank.</summary>
    public static int Nodes(RunSpec spec, PhaseKey key) => Recipe(spec, key)?.Nodes ?? 1;

    public static RunDocument? OnDatasetReady(RunDocument run, DatasetReady ready) =>
        run.IsFinished || run.Dataset is not null ? null : run with { Dataset = ready.Dataset };

    /// <summary>A failure after the dataset is set (a late or duplicate build) changes nothing.</summary>
    public static RunDocument? OnDatasetFailed(RunDocument run, DatasetFailed failed) =>
        run.IsFinished || run.Dataset is not null || (failed.Generation > 0 && failed.Generation < run.DatasetGeneration) ? null
            : run with { Status = RunStatus.Failed, Error = $"Preparing the dataset failed: {failed.Reason}" };

    public static RunDocument? OnPhaseStarted(RunDocument run, PhaseStarted started)
    {
        var key = started.Phase;
        var phase = run.Phase(key);
        if (run.IsFinished || phase.AttemptId != started.AttemptId || phase.Status != PhaseStatus.Dispatched)
            return null;
        return run.WithPhase(key, phase with { Status = PhaseStatus.Running, StartedAt = started.At, Trainer = started.Trainer, Waiting = null });
    }

    /// <summary>
    /// The first completion of a phase wins, whichever attempt sent it (its finished checkpoint is create-only, so every
    /// attempt reports the same file); later ones change nothing.
    /// </summary>
    public static RunDocument? OnPhaseCompleted(RunDocument run, PhaseCompleted completed, DateTimeOffset now)
    {
        var key = completed.Phase;
        var phase = run.Phase(key);
        if (run.IsFinished || phase.Status == PhaseStatus.Completed || phase.Attempt == 0 || !IsOwnCheckpoint(run, key, completed.Checkpoint))
            return null;
        return run.WithPhase(key, phase with
        {
            Status = PhaseStatus.Completed,
            CompletedAt = now,
            Checkpoint = completed.Checkpoint,
            Metrics = WithEveryAttempt(completed.Metrics, phase.Lost, Recipe(run.Spec, key)?.Epochs ?? 0),
            Error = null,
        });
    }

    /// <summary>
    /// The phase's cost as the paper counts it: the finishing attempt's wall and device time plus every lost attempt's,
    /// which are also shown apart as lost. A completed phase trained all its epochs, whichever attempts trained them.
    /// </summary>
    private static PhaseMetrics WithEveryAttempt(PhaseMetrics finishing, IReadOnlyList<LostAttempt> lost, int epochs)
    {
        var (lostWall, lostDevice) = (lost.Sum(a => a.WallSeconds), lost.Sum(a => a.DeviceSeconds));
        return finishing with
        {
            Epochs = Math.Max(finishing.Epochs, epochs),
            WallSeconds = finishing.WallSeconds + lostWall,
            DeviceSeconds = finishing.DeviceSeconds + lostDevice,
            LostWallSeconds = lostWall,
            LostDeviceSeconds = lostDevice,
        };
    }

    /// <summary>The recipe a training job follows; null for the final evaluation, which trains nothing.</summary>
    public static PhaseRecipe? Recipe(RunSpec spec, PhaseKey key) => key.Kind switch
    {
        PhaseKind.PT => spec.Pretrain,
        PhaseKind.MT => spec.Modules,
        PhaseKind.FT => spec.Finetune,
        PhaseKind.E2E => spec.Baseline,
        _ => null,
    };

    /// <summary>
    /// The phase with its current attempt recorded as lost. It ended <paramref name="wallSeconds"/> after it started, by
    /// the trainer's own clock (the one its start was stamped with); unknown when an older sender did not say.
    /// </summary>
    private static PhaseState WithLost(PhaseState phase, LostAttemptEnd end, double wallSeconds, double deviceSeconds, string reason)
    {
        // Only a running attempt said when it started; a dispatched one still shows the previous attempt's start.
        var started = phase.Status == PhaseStatus.Running ? phase.StartedAt : null;
        var ended = started is { } s && wallSeconds > 0 ? s.AddSeconds(wallSeconds) : (DateTimeOffset?)null;
        return phase with
        {
            Lost = [.. phase.Lost,
                new LostAttempt(phase.Attempt, end, started is null ? null : phase.Trainer, started, ended, wallSeconds, deviceSeconds, reason)],
        };
    }

    /// <summary>
    /// A completion names the phase's own finished checkpoint (Eval, which trains nothing, the FT model it evaluated);
    /// anything else is a forged or garbled message and changes nothing.
    /// </summary>
    public static bool IsOwnCheckpoint(RunDocument run, PhaseKey key, string checkpoint) => key.Kind == PhaseKind.Eval
        ? checkpoint == run.Phase(PhaseKey.Finetune).Checkpoint
        : BlobLayout.IsFinished(run.RunId, key, checkpoint);

    /// <summary>
    /// A failed attempt is retried (a new attempt resumes from the last checkpoint) until <see cref="MaxAttempts"/>. On
    /// several pods any rank's failure is the attempt's: all its rank slots are dispatched again, with the same world size.
    /// </summary>
    public static RunDocument? OnPhaseFailed(RunDocument run, PhaseFailed failed)
    {
        var key = failed.Phase;
        var phase = run.Phase(key);
        if (run.IsFinished || phase.AttemptId != failed.AttemptId || !phase.IsActive)
            return null;
        return RetryOrFail(run, key, WithLost(phase, LostAttemptEnd.Failed, failed.WallSeconds, failed.DeviceSeconds, failed.Reason), failed.Reason,
            failed.Retryable);
    }

    /// <summary>The trainer was told to stop (and saved what it could): the phase goes again, and the attempt is not counted.</summary>
    public static RunDocument? OnPhasePreempted(RunDocument run, PhasePreempted preempted)
    {
        var key = preempted.Phase;
        var phase = run.Phase(key);
        if (run.IsFinished || phase.AttemptId != preempted.AttemptId || !phase.IsActive)
            return null;
        var again = WithLost(phase, LostAttemptEnd.Preempted, preempted.WallSeconds, preempted.DeviceSeconds, preempted.Reason) with
        {
            Status = PhaseStatus.Pending, Preemptions = phase.Preemptions + 1, Error = preempted.Reason,
        };
        return again.Preemptions < MaxPreemptions ? run.WithPhase(key, again)
            : run.WithPhase(key, again with { Status = PhaseStatus.Failed }) with
            {
                Status = RunStatus.Failed,
                Error = $"{key} was preempted {again.Preemptions} times, the most a phase may be ({preempted.Reason})",
            };
    }

    /// <summary>
    /// A lease of the current attempt went stale (no renewal, or no progress): count its device time as lost and try again. On
    /// several pods one rank's stale lease fails the whole attempt; its other ranks stop when they see it replaced.
    /// </summary>
    public static RunDocument? OnLeaseExpired(RunDocument run, PhaseKey key, string attemptId, double lostDeviceSeconds, string reason)
    {
        var phase = run.Phase(key);
        if (run.IsFinished || phase.AttemptId != attemptId || !phase.IsActive)
            return null;
        return RetryOrFail(run, key, WithLost(phase, LostAttemptEnd.LeaseExpired, lostDeviceSeconds, lostDeviceSeconds, reason), reason, retryable: true);
    }

    /// <summary>Assembling the modules failed: it is tried again, and the run fails after <see cref="MaxAttempts"/> failures.</summary>
    public static RunDocument? OnAssemblyFailed(RunDocument run, string reason)
    {
        if (run.IsFinished || run.AssembledModel is not null)
            return null;
        var failures = run.AssemblyFailures + 1;
        return RetryOrFail(run with { AssemblyFailures = failures, LastFault = $"assembling the modules failed: {reason}" }, run with { AssemblyFailures = failures },
            failures, retryable: true, $"Assembling the modules failed after {failures} tries: {reason}");
    }

    /// <summary>
    /// A phase attempt that failed is tried again (pending: a new attempt resumes from the last checkpoint) under
    /// <see cref="RetryOrFail(RunDocument, RunDocument, int, bool, string)"/>; otherwise the phase and the run fail.
    /// </summary>
    private static RunDocument RetryOrFail(RunDocument run, PhaseKey key, PhaseState phase, string reason, bool retryable) =>
        RetryOrFail(run.WithPhase(key, phase with { Status = PhaseStatus.Pending, Error = reason }),
            run.WithPhase(key, phase with { Status = PhaseStatus.Failed, Error = reason }),
            phase.CountedAttempts, retryable, $"{key} failed after {phase.CountedAttempts} attempt(s): {reason}");

    /// <summary>
    /// The one retry policy, for phase attempts and assembly alike: a failure that another try may cure
    /// (<paramref name="retryable"/>: not a bad spec, input or checkpoint, which the trainer tells apart) is tried again
    /// while fewer than <see cref="MaxAttempts"/> tries were made; otherwise the run fails with <paramref name="failure"/>.
    /// Preemptions and unclaimed dispatches are not failures and never come here.
    /// </summary>
    private static RunDocument RetryOrFail(RunDocument retried, RunDocument failed, int tries, bool retryable, string failure) =>
        retryable && tries < MaxAttempts ? retried : failed with { Status = RunStatus.Failed, Error = failure };

    /// <summary>
    /// A dispatched attempt nobody claimed for long (on several pods: a rank slot nobody claimed): the same attempt
    /// (same id, so whoever claims a slot first runs it) is sent again as a newer generation, by resetting it to
    /// pending; slots already claimed drop their copy.
    /// </summary>
    public static RunDocument? OnUnclaimed(RunDocument run, PhaseKey key, string? attemptId)
    {
        var phase = run.Phase(key);
        return !run.IsFinished && phase.IsActive && phase.AttemptId == attemptId
            ? run.WithPhase(key, phase with { Status = PhaseStatus.Pending, Attempt = phase.Attempt - 1 })
            : null;
    }

    /// <summary>
    /// What the cluster says about the current attempt's pods while they have not started (null: nothing, or they run):
    /// "waiting for admission: …" from Kueue, shown by <c>status</c> and <c>watch</c> instead of a silent wait.
    /// </summary>
    public static RunDocument? OnWaiting(RunDocument run, PhaseKey key, string attemptId, string? waiting)
    {
        var phase = run.Phase(key);
        return !run.IsFinished && phase.IsActive && phase.AttemptId == attemptId && phase.Waiting != waiting
            ? run.WithPhase(key, phase with { Waiting = waiting })
            : null;
    }

    public static RunDocument? OnAssembled(RunDocument run, string assembledModel) =>
        run.IsFinished || run.AssembledModel is not null ? null : run with { AssembledModel = assembledModel };

    public static RunDocument? OnCancel(RunDocument run, CancelRun cancel) =>
        run.IsFinished ? null : run with { Status = RunStatus.Cancelled, Error = $"Cancelled: {cancel.Reason}" };

    /// <summary>
    /// One event from start to end: <paramref name="change"/>, then <see cref="Advance"/>, and the run's outcome when it
    /// just finished. Null when the event changes nothing; otherwise the new document, every message it decides, and
    /// whether the modules should now be assembled.
    /// </summary>
    public static (RunDocument Run, IReadOnlyList<object> Messages, bool Assemble)? Apply(RunDocument current,
        Func<RunDocument, RunDocument?> change, DateTimeOffset now)
    {
        if (change(current) is not { } changed)
            return null;
        var (next, messages, assemble) = Advance(changed, now);
        var outgoing = messages.ToList();
        if (next.IsFinished && !current.IsFinished && Outcome(next) is { } outcome)
            outgoing.Add(outcome);
        return (next, outgoing, assemble);
    }

    /// <summary>
    /// Dispatches every job whose inputs are ready and that is pending, asks for assembly when all modules are done,
    /// and moves the run's status along. Returns the new document, the messages to send once it is stored, and
    /// whether the caller should now assemble the modules.
    /// </summary>
    public static (RunDocument Run, IReadOnlyList<object> Messages, bool Assemble) Advance(RunDocument run, DateTimeOffset now)
    {
        var messages = new List<object>();
        if (run.IsFinished)
            return (run, messages, false);
        if (!run.DatasetRequested)
        {
            run = run with { DatasetRequested = true, DatasetGeneration = run.DatasetGeneration + 1 };
            messages.Add(new PrepareDataset(run.RunId, run.Spec.DataSet, run.Spec.DataPath, DatasetName(run.Spec), run.Spec.DatasetVersion,
                run.DatasetGeneration));
        }
        if (run.Dataset is null)
            return (run with { Status = RunStatus.PreparingData }, messages, false);

        foreach (var key in Jobs(run.Spec))
        {
            var phase = run.Phase(key);
            if (phase.Status != PhaseStatus.Pending || Inputs(run, key) is null)
                continue;
            var attempt = phase.Attempt + 1;
            var attemptId = $"{run.RunId}.{key}.{attempt}";
            // The same attempt sent again (it went unclaimed) is a newer generation of the same command.
            var generation = attemptId == phase.AttemptId ? phase.Generation + 1 : 1;
            run = run.WithPhase(key, phase with
            {
                Status = PhaseStatus.Dispatched, Attempt = attempt, AttemptId = attemptId, Generation = generation, DispatchedAt = now, Waiting = null,
            });
            // A phase on several pods is one attempt in N rank slots: all start together, and whichever fails fails them all.
            messages.AddRange(Enumerable.Range(0, Nodes(run.Spec, key)).Select(node => Command(run, key, node)!));
        }

        var modulesDone = Enumerable.Range(0, run.Spec.NumModules).All(i => run.Phase(PhaseKey.Module(i)).Status == PhaseStatus.Completed);
        var assemble = modulesDone && run.AssembledModel is null;
        var status = run.Phase(PhaseKey.Pretrain).Status != PhaseStatus.Completed ? RunStatus.Pretraining
            : !modulesDone ? RunStatus.TrainingModules
            : run.Phase(PhaseKey.Finetune).Status != PhaseStatus.Completed ? RunStatus.FineTuning
            : run.Phase(PhaseKey.Eval).Status != PhaseStatus.Completed
              || (run.Spec.Baseline is not null && run.Phase(PhaseKey.Baseline).Status != PhaseStatus.Completed) ? RunStatus.Evaluating
            : RunStatus.Completed;
        run = run with { Status = status };
        if (status == RunStatus.Completed)
            run = run with { Metrics = Metrics(run, now) };
        return (run, messages, assemble);
    }

    /// <summary>
    /// The command for rank slot <paramref name="node"/> of <paramref name="key"/>'s current attempt, all of it from the
    /// stored run: what the queue carries to a trainer, and what a one-shot trainer rebuilds from <c>run.json</c>. Null
    /// while the attempt cannot run (no dataset or inputs yet, or no attempt dispatched).
    /// </summary>
    public static TrainPhase? Command(RunDocument run, PhaseKey key, int node)
    {
        var phase = run.Phase(key);
        return run.Dataset is { } dataset && phase.AttemptId is { } attemptId && Inputs(run, key) is { } inputs
            ? new TrainPhase(run.RunId, key, phase.Attempt, attemptId, run.Spec, dataset, inputs, phase.Generation, node, Nodes(run.Spec, key))
            : null;
    }

    /// <summary>The message that tells everyone how a finished run ended (null while it runs); sent once, when the run finishes.</summary>
    public static object? Outcome(RunDocument run) => run.Status switch
    {
        RunStatus.Completed => new RunCompleted(run.RunId, run.Metrics!, BlobLayout.Report(run.RunId)),
        RunStatus.Failed => new RunFailed(run.RunId, run.Error ?? "failed"),
        RunStatus.Cancelled => new RunCancelled(run.RunId, run.Error ?? "cancelled"),
        _ => null,
    };

    public static string DatasetName(RunSpec spec) => string.IsNullOrEmpty(spec.DatasetName) ? spec.DataSet.ToLowerInvariant() : spec.DatasetName;

    /// <summary>The blobs a job starts from, or null while they do not exist yet.</summary>
    private static IReadOnlyList<string>? Inputs(RunDocument run, PhaseKey key) => key.Kind switch
    {
        PhaseKind.PT or PhaseKind.E2E => [],
        PhaseKind.MT => run.Phase(PhaseKey.Pretrain) is { Status: PhaseStatus.Completed, Checkpoint: { } meta } ? [meta] : null,
        PhaseKind.FT => run.AssembledModel is { } assembled ? [assembled] : null,
        PhaseKind.Eval => run.Phase(PhaseKey.Finetune) is { Status: PhaseStatus.Completed, Checkpoint: { } ft } ? [ft] : null,
        _ => null,
    };

    private static RunMetrics Metrics(RunDocument run, DateTimeOffset now)
    {
        var phases = run.Phases.Where(p => p.Value.Metrics is not null).ToDictionary(p => p.Key, p => p.Value.Metrics!);
        var eval = phases[PhaseKey.Eval];
        phases.TryGetValue(PhaseKey.Finetune, out var ft);
        phases.TryGetValue(PhaseKey.Baseline, out var baseline);
        return new RunMetrics(eval.Acc1, eval.Acc5, ft?.Acc1BeforeTraining, baseline?.Acc1, phases,
            (now - run.CreatedAt).TotalSeconds, phases.Values.Sum(m => m.DeviceSeconds), phases.Values.Sum(m => m.LostDeviceSeconds));
    }
}
