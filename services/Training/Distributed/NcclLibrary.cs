using System.Runtime.InteropServices;

namespace CloudAssembly.Training.Distributed;

/// <summary>
/// NCCL's C API, loaded at run time: PyTorch's CUDA wheels ship <c>libnccl.so.2</c> in <c>nvidia/nccl/lib</c> beside
/// the <c>torch</c> package, so it is looked for next to the libtorch folder (<c>--libtorch</c>), then at
/// <c>--nccl</c> / <c>CLOUDASSEMBLY_NCCL</c>, then on the system library path. <c>cudaSetDevice</c> comes from the CUDA
/// runtime libtorch already loaded.
/// </summary>
public sealed unsafe class NcclLibrary
{
    public const string PathVariable = "CLOUDASSEMBLY_NCCL";
    public const int UniqueIdBytes = 128;

    private readonly delegate* unmanaged<byte*, int> getUniqueId;
    private readonly delegate* unmanaged<IntPtr*, int, NcclUniqueId, int, int> commInitRank;
    private readonly delegate* unmanaged<IntPtr, IntPtr, nuint, int, int, IntPtr, IntPtr, int> allReduce;
    private readonly delegate* unmanaged<int> groupStart, groupEnd;
    private readonly delegate* unmanaged<IntPtr, int> commDestroy, commAbort;
    private readonly delegate* unmanaged<int, IntPtr> errorString;
    private readonly delegate* unmanaged<int, int> setDevice;

    private NcclLibrary(IntPtr nccl, IntPtr cudart)
    {
        getUniqueId = (delegate* unmanaged<byte*, int>)NativeLibrary.GetExport(nccl, "ncclGetUniqueId");
        commInitRank = (delegate* unmanaged<IntPtr*, int, NcclUniqueId, int, int>)NativeLibrary.GetExport(nccl, "ncclCommInitRank");
        allReduce = (delegate* unmanaged<IntPtr, IntPtr, nuint, int, int, IntPtr, IntPtr, int>)NativeLibrary.GetExport(nccl, "ncclAllReduce");
        groupStart = (delegate* unmanaged<int>)NativeLibrary.GetExport(nccl, "ncclGroupStart");
        groupEnd = (delegate* unmanaged<int>)NativeLibrary.GetExport(nccl, "ncclGroupEnd");
        commDestroy = (delegate* unmanaged<IntPtr, int>)NativeLibrary.GetExport(nccl, "ncclCommDestroy");
        commAbort = (delegate* unmanaged<IntPtr, int>)NativeLibrary.GetExport(nccl, "ncclCommAbort");
        errorString = (delegate* unmanaged<int, IntPtr>)NativeLibrary.GetExport(nccl, "ncclGetErrorString");
        setDevice = (delegate* unmanaged<int, int>)NativeLibrary.GetExport(cudart, "cudaSetDevice");
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
        new DirectoryInfo(folder).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? folder;

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
        var id = new byte[UniqueIdBytes];
        fixed (byte* p = id)
            Check(getUniqueId(p), "ncclGetUniqueId");
        return id;
    }

    /// <summary>One communicator per local rank, created together (NCCL's group calls), each on its device.</summary>
    public IntPtr[] InitRanks(byte[] uniqueId, int worldSize, int firstRank, IReadOnlyList<int> deviceIndices)
    {
        var id = NcclUniqueId.From(uniqueId);
        var comms = new IntPtr[deviceIndices.Count];
        Check(groupStart(), "ncclGroupStart");
        for (var i = 0; i < comms.Length; i++)
        {
            SetDevice(deviceIndices[i]);
            fixed (IntPtr* comm = &comms[i])
                Check(commInitRank(comm, worldSize, id, firstRank + i), "ncclCommInitRank");
        }
        Check(groupEnd(), "ncclGroupEnd");
        return comms;
    }

    /// <summary>In place, on the device's legacy default stream: the stream libtorch's kernels run on, so it is ordered with them.</summary>
    public void AllReduce(IntPtr comm, int device, IntPtr buffer, long count, int dataType, int op)
    {
        SetDevice(device);
        Check(allReduce(buffer, buffer, (nuint)count, dataType, op, comm, IntPtr.Zero), "ncclAllReduce");
    }

    public void Destroy(IntPtr comm, bool abort) => (abort ? commAbort : commDestroy)(comm);

    private void SetDevice(int device)
    {
        var code = setDevice(device);
        if (code != 0)
            throw new InvalidOperationException($"cudaSetDevice({device}) failed with CUDA error {code}.");
    }

    private void Check(int code, string call)
    {
        if (code != 0)
            throw new InvalidOperationException($"{call} failed: {Marshal.PtrToStringAnsi(errorString(code))} (NCCL error {code}).");
    }
}
