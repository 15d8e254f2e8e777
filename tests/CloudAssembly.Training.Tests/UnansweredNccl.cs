using System.Collections.Concurrent;
using CloudAssembly.Training.Distributed;

namespace CloudAssembly.Training.Tests;

/// <summary>
/// NCCL as a rank sees it when its peers never join (no GPU here, so no real NCCL): every all-reduce blocks until its
/// communicator is aborted, as a real one blocks in the kernel until <c>ncclCommAbort</c> sets its abort flag. Records
/// each call, so tests see what was aborted, destroyed, or touched after the abort.
/// </summary>
public sealed class UnansweredNccl : INcclComms
{
    private readonly ConcurrentDictionary<IntPtr, ManualResetEventSlim> aborted = new();

    public ConcurrentQueue<string> Calls { get; } = new();

    /// <summary>What <c>ncclCommGetAsyncError</c> reports.</summary>
    public NcclResult Error { get; set; } = NcclResult.Success;

    /// <summary>Set once a rank is blocked in an all-reduce.</summary>
    public ManualResetEventSlim Blocked { get; } = new();

    public void AllReduce(IntPtr comm, int device, IntPtr buffer, long count, NcclDataType dataType, NcclRedOp op)
    {
        Calls.Enqueue($"allreduce {comm}");
        Blocked.Set();
        Aborted(comm).Wait();
    }

    public NcclResult AsyncError(IntPtr comm) => Error;

    public void Abort(IntPtr comm)
    {
        Calls.Enqueue($"abort {comm}");
        Aborted(comm).Set();
    }

    public void Destroy(IntPtr comm) => Calls.Enqueue($"destroy {comm}");

    public string Describe(NcclResult code) => $"error {(int)code}";

    private ManualResetEventSlim Aborted(IntPtr comm) => aborted.GetOrAdd(comm, _ => new ManualResetEventSlim());
}
