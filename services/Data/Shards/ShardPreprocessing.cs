using System.Text.Json.Serialization;

namespace CloudAssembly.Data.Shards;

/// <summary>
/// How source images became shard members. <c>original</c>: the files' own bytes (after a decode check);
/// <c>png</c>: pixel arrays (IDX) encoded losslessly; <c>jpeg</c>: shorter side brought to at most
/// <see cref="MaxShorterSide"/> with PIL's antialiased bicubic resize and encoded at <see cref="JpegQuality"/> (a JPEG
/// already small enough keeps its bytes, so it is not compressed twice).
/// </summary>
public sealed record ShardPreprocessing(string Encoding, int? MaxShorterSide, int? JpegQuality)
{
    public const string Original = "original";
    public const string Png = "png";
    public const string Jpeg = "jpeg";

    [JsonIgnore]
    public bool Resizes => MaxShorterSide is not null;

    public override string ToString() => Encoding switch
    {
        Jpeg => $"shorter side at most {MaxShorterSide} px, JPEG quality {JpegQuality}",
        Png => "pixel arrays as PNG",
        _ => "none (original file bytes)",
    };
}
