namespace CloudAssembly.Data.Loading;

/// <summary>The C×S×S shape of one transformed sample.</summary>
public readonly record struct SampleShape(int Channels, int Size)
{
    public int Length => Channels * Size * Size;
}
