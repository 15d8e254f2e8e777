using CloudAssembly.Contracts;
using CloudAssembly.Model.Checkpoints;
using CloudAssembly.Training;
using CloudAssembly.Training.Checkpoints;
using CloudAssembly.Training.Optimization;
using CloudAssembly.Training.Phases;
using static TorchSharp.torch;

namespace CloudAssembly.Pipeline;

/// <summary>
/// Assembles the K incubated modules into the full model, exactly as FT does at its start (stage i from the i-th MT
/// checkpoint's <c>model_stages[i]</c>, strictly), and writes it as a checkpoint in the official layout, so the
/// assembled network is a file of its own that FT starts from and anyone can evaluate.
/// </summary>
public static class ModelAssembler
{
    public const string PhaseName = "ASSEMBLED";

    public static void Assemble(RunSpec spec, IReadOnlyList<string> moduleCheckpoints, string output)
    {
        var numClasses = CheckpointMetadata.From(TorchLoadReader.Read(moduleCheckpoints[0]))?.NumClasses
            ?? throw new InvalidDataException($"'{moduleCheckpoints[0]}' has no CloudAssembly metadata; cannot tell the number of classes.");
        var options = PhasePlanner.Finetune(spec, moduleCheckpoints, Path.GetDirectoryName(output)!, "cpu");
        var model = PhaseModelBuilder.Build(options, numClasses, CPU, _ => { }).Model;
        var schedule = new CosineSchedule(CosineSchedule.ScaleLr(options.Lr, options.EffectiveBatch), options.MinLr, options.WarmupLr,
            options.WarmupEpochs, options.Epochs);
        var metadata = new CheckpointMetadata(spec.Model, spec.Depths, numClasses, PhaseName, null, spec.InputSize);
        PhaseCheckpoint.Save(PhaseCheckpoint.Build(model, null, schedule, 0, metadata), output);
        model.Dispose();
    }
}
