namespace CloudAssembly.Data.Images;

/// <summary>An image file that cannot be decoded; <see cref="Exception.Message"/> names the file.</summary>
public sealed class CorruptImageException(string source, string reason) : Exception($"Cannot decode image '{source}': {reason}.")
{
    public string ImagePath { get; } = source;
}
