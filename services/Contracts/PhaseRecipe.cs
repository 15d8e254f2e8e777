using System.Text.Json;
using System.Text.Json.Serialization;

namespace CloudAssembly.Contracts;

/// <summary>What one phase of a run trains with: the settings that differ between PT, MT and FT in the seed's scripts.</summary>
public sealed record PhaseRecipe
{
    public int Epochs { get; init; }
    public int BatchSize { get; init; }
    public int UpdateFreq { get; init; } = OfficialDefaults.UpdateFreq;
    public double DropPath { get; init; }
    public int WarmupEpochs { get; init; } = OfficialDefaults.WarmupEpochs;
    public double? ClipGrad { get; init; }

    /// <summary>Clip at <see cref="ClipGrad"/> in fp32 too; the official code clips only under AMP.</summary>
    public bool ClipGradInFp32 { get; init; }

    /// <summary>Base lr per 512 images (scaled by the effective batch, as main.py does).</summary>
    public double Lr { get; init; } = OfficialDefaults.Lr;

    /// <summary>Pods (trainer processes) the phase runs on at once.</summary>
    public int Nodes { get; init; } = 1;

    /// <summary>Devices of each pod, one data-parallel rank each.</summary>
    public int DevicesPerNode { get; init; } = 1;

    /// <summary>Members of the JSON this recipe was read from that no setting has (null: none).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? UnknownFields { get; init; }

    /// <summary>Data-parallel ranks: nodes × devices per node.</summary>
    public int WorldSize => Nodes * DevicesPerNode;

    /// <summary>Samples per optimizer step over all ranks: nodes × devices × batch × update_freq.</summary>
    public int EffectiveBatch => WorldSize * BatchSize * UpdateFreq;

    /// <summary>The same effective batch on one device: update_freq grows by the world size (the official batch stays).</summary>
    public PhaseRecipe OnOneDevice() => this with { UpdateFreq = UpdateFreq * WorldSize, Nodes = 1, DevicesPerNode = 1 };
}
