namespace CloudAssembly.Reporting.Tests;

/// <summary>
/// A fact that needs protoc to compile TensorBoard's protos: skipped where it is missing on a developer's machine, but
/// run (and failing with the reason) in CI, where eng/install-protobuf.sh installs it.
/// </summary>
public sealed class ProtocFactAttribute : FactAttribute
{
    public ProtocFactAttribute()
    {
        if (TensorBoardReader.SkipReason is { } reason)
            Skip = reason;
    }
}
