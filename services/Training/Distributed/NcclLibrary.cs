using System.Runtime.InteropServices;

namespace CloudAssembly.Training.Distributed;

/// <summary>
/// NCCL's C API, loaded at run time: PyTorch's CUDA wheels ship <c>libnccl.so.2</c> in <c>nvidia/nccl/lib</c> beside
/// the <c>torch</c> package, so it is looked for next to the libtorch folder (<c>--libtorch</c>), then at
/// <c>--nccl</c> / <c>CLOUDASSEMBLY_NCCL</c>, then on the system library path. <c>cudaSetDevice</c> comes from the CUDA
/// runtime libtorch already loaded.
/// </summary>
public sealed unsafe class NcclLibrary : INcclComms
{
    public const string PathVariable = "CLOUDASSEMBLY_NCCL";
    public const int UniqueIdBytes = 128;

    // Each field is named as the C function it holds, and its type spells the C declaration: NcclHeaderTests checks
    // both against NCCL's own nccl.h (tests/reference/nccl), since no GPU here ever calls them.
    private readonly delegate* unmanaged<NcclUniqueId*, NcclResult> ncclGetUniqueId;
    private readonly delegate* unmanaged<IntPtr*, int, NcclUniqueId, int, NcclResult> ncclCommInitRank;
    private readonly delegate* unmanaged<IntPtr, IntPtr, nuint, NcclDataType, NcclRedOp, IntPtr, IntPtr, NcclResult> ncclAllReduce;
    private readonly delegate* unmanaged<NcclResult> ncclGroupStart, ncclGroupEnd;
    private readonly delegate* unmanaged<IntPtr, NcclResult> ncclCommDestroy, ncclCommAbort;
    private readonly delegate* unmanaged<IntPtr, NcclResult*, NcclResult> ncclCommGetAsyncError;
    private readonly delegate* unmanaged<NcclResult, IntPtr> ncclGetErrorString;
    private readonly delegate* unmanaged<int, int> cudaSetDevice;
    private readonly delegate* unmanaged<IntPtr, int> cudaStreamSynchronize;

    private NcclLibrary(IntPtr nccl, IntPtr cudart)
    {
        ncclGetUniqueId = (delegate* unmanaged<NcclUniqueId*, NcclResult>)NativeLibrary.GetExport(nccl, nameof(ncclGetUniqueId));
        ncclCommInitRank = (delegate* unmanaged<IntPtr*, int, NcclUniqueId, int, NcclResult>)NativeLibrary.GetExport(nccl, nameof(ncclCommInitRank));
        ncclAllReduce = (delegate* unmanaged<IntPtr, IntPtr, nuint, NcclDataType, NcclRedOp, IntPtr, IntPtr, NcclResult>)NativeLibrary.GetExport(nccl, nameof(ncclAllReduce));
        ncclGroupStart = (delegate* unmanaged<NcclResult>)NativeLibrary.GetExport(nccl, nameof(ncclGroupStart));
        ncclGroupEnd = (delegate* unmanaged<NcclResult>)NativeLibrary.GetExport(nccl, nameof(ncclGroupEnd));
        ncclCommDestroy = (delegate* unmanaged<IntPtr, NcclResult>)NativeLibrary.GetExport(nccl, nameof(ncclCommDestroy));
        ncclCommAbort = (delegate* unmanaged<IntPtr, NcclResult>)NativeLibrary.GetExport(nccl, nameof(ncclCommAbort));
        ncclCommGetAsyncError = (delegate* unmanaged<IntPtr, NcclResult*, NcclResult>)NativeLibrary.GetExport(nccl, nameof(ncclCommGetAsyncError));
        ncclGetErrorString = (delegate* unmanaged<NcclResult, IntPtr>)NativeLibrary.GetExport(nccl, nameof(ncclGetErrorString));
        cudaSetDevice = (delegate* unmanaged<int, int>)NativeLibrary.GetExport(cudart, nameof(cudaSetDevice));
        cudaStreamSynchronize = (delegate* unmanaged<IntPtr, int>)NativeLibrary.GetExport(cudart, nameof(cudaStreamSynchronize));
    }

    /// <summary>The places searched, in order, for the given settings.</summary>
    public static IReadOnlyList<string> Candidates(string? setting, string? libtorchDir)
    {
        var list = new List<string>();
        setting ??= Environment.GetEnvironmentVariable(PathVariable);
        libtorchDir ??= Environment.GetEnvironmentVariable(Model.TorchRuntime.LibTorchVariable);
        if (!string.IsNullOrEmpty(setting))
            list.Add(Directory.Exists(setting) ? Path.Combine(setting, "libnccl.so.2") : setting);
        // torch/lib is often reached through a link (the trainer image's /opt/libtorch): "../.." must climb from where it points.
        if (!string.IsNullOrEmpty(libtorchDir))
            list.Add(Path.GetFullPath(Path.Combine(Resolved(libtorchDir), "..", "..", "nvidia", "nccl", "lib", "libnccl.so.2")));
        list.Add("libnccl.so.2");
        return list;
    }

    private static string Resolved(string folder) =>
        Directory.Exists(folder) ? new DirectoryInfo(folder).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? folder : folder;

    public static NcclLibrary Load(string? setting, string? libtorchDir)
    {
        var candidates = Candidates(setting, libtorchDir);
        var nccl = candidates.Select(c => NativeLibrary.TryLoad(c, out var h) ? h : IntPtr.Zero).FirstOrDefault(h => h != IntPtr.Zero);
        if (nccl == IntPtr.Zero)
            throw new DllNotFoundException(
                $"NCCL (libnccl.so.2) was not found at {string.Join(", ", candidates)}: install it (pip install nvidia-nccl-cu12, " +
                $"which PyTorch's CUDA wheels bring along) or point --nccl (or {PathVariable}) at libnccl.so.2.");
        var cudart = new[] { "libcudart.so.13", "libcudart.so.12" }
            .Select(c => NativeLibrary.TryLoad(c, out var h) ? h : IntPtr.Zero).FirstOrDefault(h => h != IntPtr.Zero);
        if (cudart == IntPtr.Zero)
            throw new DllNotFoundException("The CUDA runtime (libcudart.so.12 or .13) is not loaded: NCCL ranks need CUDA libtorch (--device cuda).");
        return new NcclLibrary(nccl, cudart);
    }

    public byte[] UniqueId()
    {
        NcclUniqueId id;
        Check(ncclGetUniqueId(&id), nameof(ncclGetUniqueId));
        return [.. (ReadOnlySpan<byte>)id];
    }

    /// <summary>One communicator per local rank, created together (NCCL's group calls), each on its device.</summary>
    public IntPtr[] InitRanks(byte[] uniqueId, int worldSize, int firstRank, IReadOnlyList<int> deviceIndices)
    {
        var id = NcclUniqueId.From(uniqueId);
        var comms = new IntPtr[deviceIndices.Count];
        Check(ncclGroupStart(), nameof(ncclGroupStart));
        for (var i = 0; i < comms.Length; i++)
        {
            SetDevice(deviceIndices[i]);
            fixed (IntPtr* comm = &comms[i])
                Check(ncclCommInitRank(comm, worldSize, id, firstRank + i), nameof(ncclCommInitRank));
        }
        Check(ncclGroupEnd(), nameof(ncclGroupEnd));
        return comms;
    }

    /// <summary>
    /// In place, on the device's legacy default stream: the stream libtorch's kernels run on, so it is ordered with
    /// them. It then waits for that stream, so that an all-reduce a lost peer never joins blocks here, where
    /// <see cref="NcclWatch"/>'s abort ends it and the caller learns why before anything reads the buffer.
    /// </summary>
    public void AllReduce(IntPtr comm, int device, IntPtr buffer, long count, NcclDataType dataType, NcclRedOp op)
    {
        SetDevice(device);
        Check(ncclAllReduce(buffer, buffer, (nuint)count, dataType, op, comm, IntPtr.Zero), nameof(ncclAllReduce));
        var code = cudaStreamSynchronize(IntPtr.Zero);
        if (code != 0)
            throw new InvalidOperationException($"cudaStreamSynchronize after ncclAllReduce on device {device} failed with CUDA error {code}.");
    }

    public void Abort(IntPtr comm) => ncclCommAbort(comm);

    public void Destroy(IntPtr comm) => ncclCommDestroy(comm);

    public NcclResult AsyncError(IntPtr comm)
    {
        NcclResult error;
        Check(ncclCommGetAsyncError(comm, &error), nameof(ncclCommGetAsyncError));
        return error;
    }

    public string Describe(NcclResult code) => Marshal.PtrToStringAnsi(ncclGetErrorString(code)) ?? $"NCCL error {(int)code}";

    private void SetDevice(int device)
    {
        var code = cudaSetDevice(device);
        if (code != 0)
            throw new InvalidOperationException($"cudaSetDevice({device}) failed with CUDA error {code}.");
    }

    private void Check(NcclResult code, string call)
    {
        if (code != NcclResult.Success)
            throw new InvalidOperationException($"{call} failed: {Describe(code)} (NCCL error {(int)code}).");
    }
}
