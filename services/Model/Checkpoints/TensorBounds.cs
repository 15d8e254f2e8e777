namespace CloudAssembly.Model.Checkpoints;

/// <summary>
/// Checks that a tensor a checkpoint declares (shape, stride and offset into a storage) lies inside that storage,
/// before any view of it exists; every product and sum is checked for overflow, so no declared size can wrap around
/// into a small one. A view never has more elements than its storage: torch.save writes none (an expanded tensor
/// would be the one exception, and a checkpoint holds none), and any later copy of it stays within the file's size.
/// </summary>
internal static class TensorBounds
{
    public static void Check(StorageRef storage, long offset, long[] shape, long[] stride)
    {
        var declared = $"a tensor of entry '{storage.Entry}' declares shape [{string.Join(", ", shape)}], stride [{string.Join(", ", stride)}] and offset {offset}";
        if (shape.Length != stride.Length)
            throw new InvalidDataException($"{declared}: shape and stride differ in length");
        if (offset < 0 || shape.Any(s => s < 0) || stride.Any(s => s < 0))
            throw new InvalidDataException($"{declared}: sizes, strides and the offset must not be negative");
        long elements = 1, last = offset;
        try
        {
            for (var d = 0; d < shape.Length; d++)
            {
                elements = checked(elements * shape[d]);
                if (shape[d] > 0)
                    last = checked(last + checked((shape[d] - 1) * stride[d]));
            }
        }
        catch (OverflowException)
        {
            throw new InvalidDataException($"{declared}, which overflows 64-bit element arithmetic");
        }
        if (elements > storage.Count)
            throw new InvalidDataException($"{declared}: {elements} elements, more than the {storage.Count} its storage holds");
        if (elements > 0 && last >= storage.Count)
            throw new InvalidDataException($"{declared}, reaching element {last} of a storage of {storage.Count}");
        if (elements == 0 && offset > storage.Count)
            throw new InvalidDataException($"{declared}: the offset lies past the storage's {storage.Count} elements");
    }
}
