namespace CloudAssembly.Contracts;

/// <summary>What one phase of a run trains with: the settings that differ between PT, MT and FT in the seed's scripts.</summary>
public sealed record PhaseRecipe
{
    public int Epochs { get; init; }
    public int BatchSize { get; init; }
    public int UpdateFreq { get; init; } = 1;
    public double DropPath { get; init; }
    public int WarmupEpochs { get; init; } = 20;
    public double? ClipGrad { get; init; }

    /// <summary>Clip at <see cref="ClipGrad"/> in fp32 too; the official code clips only under AMP.</summary>
    public bool ClipGradInFp32 { get; init; }

    /// <summary>Base lr per 512 images (scaled by the effective batch, as main.py does).</summary>
    public double Lr { get; init; } = 5e-4;
}
