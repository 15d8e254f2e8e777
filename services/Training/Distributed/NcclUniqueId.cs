using System.Runtime.CompilerServices;

namespace CloudAssembly.Training.Distributed;

/// <summary>NCCL's <c>ncclUniqueId</c>: 128 opaque bytes, passed by value to <c>ncclCommInitRank</c>.</summary>
[InlineArray(NcclLibrary.UniqueIdBytes)]
internal struct NcclUniqueId
{
    private byte first;

    public static NcclUniqueId From(byte[] bytes)
    {
        var id = new NcclUniqueId();
        bytes.AsSpan().CopyTo(id);
        return id;
    }
}
