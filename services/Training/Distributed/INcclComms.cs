namespace CloudAssembly.Training.Distributed;

/// <summary>
/// What runs on NCCL communicators: the all-reduce a rank waits in, the error NCCL found in the background, and the
/// abort that ends a wait a peer will never answer. <see cref="NcclLibrary"/> is the real one; the tests, on machines
/// without a GPU, drive <see cref="NcclCollective"/> and <see cref="NcclWatch"/> through this.
/// </summary>
public interface INcclComms
{
    /// <summary>In place; returns when every rank has contributed, or when <see cref="Abort"/> ended it.</summary>
    void AllReduce(IntPtr comm, int device, IntPtr buffer, long count, NcclDataType dataType, NcclRedOp op);

    /// <summary><c>ncclCommGetAsyncError</c>: <see cref="NcclResult.Success"/> while the communicator is sound.</summary>
    NcclResult AsyncError(IntPtr comm);

    /// <summary><c>ncclCommAbort</c>, from any thread: ends what waits on the communicator and frees it, never to be used again.</summary>
    void Abort(IntPtr comm);

    /// <summary><c>ncclCommDestroy</c>, once every rank is done with it.</summary>
    void Destroy(IntPtr comm);

    /// <summary>NCCL's words for a result code.</summary>
    string Describe(NcclResult code);
}
