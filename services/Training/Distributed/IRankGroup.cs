namespace CloudAssembly.Training.Distributed;

/// <summary>The ranks one process holds, one collective each; <see cref="Fail"/> stops them all when one fails.</summary>
public interface IRankGroup : IDisposable
{
    IReadOnlyList<ICollective> Members { get; }

    void Fail();
}
