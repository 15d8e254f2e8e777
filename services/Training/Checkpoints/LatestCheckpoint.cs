using System.Collections;
using CloudAssembly.Training.Engine;

namespace CloudAssembly.Training.Checkpoints;

/// <summary>
/// The checkpoint auto-resume continues from: <see cref="StartEpoch"/> is where training goes on, and
/// <see cref="Within"/> how far into that epoch (for a checkpoint taken inside it).
/// </summary>
public readonly record struct LatestCheckpoint(int StartEpoch, string Path, Hashtable Checkpoint, EpochPosition? Within);
