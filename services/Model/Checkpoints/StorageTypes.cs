using static TorchSharp.torch;

namespace CloudAssembly.Model.Checkpoints;

/// <summary>The element type and size of each storage class <c>torch.save</c> names in a checkpoint's pickle.</summary>
internal static class StorageTypes
{
    public static (ScalarType Type, int Bytes) Of(string storage) => storage switch
    {
        "DoubleStorage" => (ScalarType.Float64, 8),
        "FloatStorage" => (ScalarType.Float32, 4),
        "HalfStorage" => (ScalarType.Float16, 2),
        "BFloat16Storage" => (ScalarType.BFloat16, 2),
        "LongStorage" => (ScalarType.Int64, 8),
        "IntStorage" => (ScalarType.Int32, 4),
        "ShortStorage" => (ScalarType.Int16, 2),
        "CharStorage" => (ScalarType.Int8, 1),
        "ByteStorage" => (ScalarType.Byte, 1),
        "BoolStorage" => (ScalarType.Bool, 1),
        "ComplexFloatStorage" => (ScalarType.ComplexFloat32, 8),
        "ComplexDoubleStorage" => (ScalarType.ComplexFloat64, 16),
        _ => throw new InvalidDataException($"it names the storage type '{storage}', which is not a tensor storage"),
    };
}
