namespace CloudAssembly.Data.Shards;

/// <summary>
/// What a version was built from: the kind (<c>FOLDER</c>, <c>FMNIST</c>, <c>MNIST</c>, as <c>--data-set</c> spells
/// it) and a fingerprint that changes whenever the source does (see <see cref="DatasetSource.Fingerprint"/>).
/// </summary>
public sealed record SourceInfo(string Kind, string Fingerprint);
