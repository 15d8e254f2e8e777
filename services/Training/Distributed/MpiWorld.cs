using TorchSharp;
using static TorchSharp.torch;

namespace CloudAssembly.Training.Distributed;

/// <summary>
/// This process as one rank of <c>MPI_COMM_WORLD</c>, as <c>mpiexec -n W cloudassembly train ... --world_size W</c>
/// starts it. MPI is initialised once per process and finalised at exit; after a failure it is not finalised, so the
/// process exits with an error and <c>mpiexec</c> stops the other ranks (a failed rank fails the whole phase).
/// </summary>
public sealed class MpiWorld : ICollective, IRankGroup
{
    private static readonly Lock Gate = new();
    private static MpiWorld? instance;
    private bool failed;

    private MpiWorld(int rank, int worldSize)
    {
        Rank = rank;
        WorldSize = worldSize;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            if (!failed)
                MpiNative.MPI_Finalize();
        };
    }

    /// <summary>This process's rank when an MPI launcher started it (hydra's and MS-MPI's <c>PMI_RANK</c>), else null.</summary>
    public static int? LaunchedRank => int.TryParse(Environment.GetEnvironmentVariable("PMI_RANK"), out var rank) ? rank : null;

    public int Rank { get; }

    public int WorldSize { get; }

    public string Backend => "MPI processes";

    public IReadOnlyList<ICollective> Members => [this];

    public static MpiWorld Join()
    {
        lock (Gate)
            return instance ??= Initialize();
    }

    public void AllReduce(Tensor buffer, ReduceOp op)
    {
        if (buffer.device_type != DeviceType.CPU)
            throw new ArgumentException("The MPI backend reduces host memory; CUDA ranks use NCCL.", nameof(buffer));
        var type = buffer.dtype switch
        {
            ScalarType.Float32 => MpiNative.Float,
            ScalarType.Float64 => MpiNative.Double,
            _ => throw new ArgumentException($"The MPI backend reduces fp32 and fp64 buffers, not {buffer.dtype}.", nameof(buffer)),
        };
        var address = TensorMemory.Address(buffer);
        var elementSize = buffer.ElementSize;
        const int MaxCount = 1 << 30;
        for (long offset = 0; offset < buffer.numel(); offset += MaxCount)
        {
            var count = (int)Math.Min(MaxCount, buffer.numel() - offset);
            Check(MpiNative.MPI_Allreduce(MpiNative.InPlace, address + (nint)(offset * elementSize), count, type,
                op == ReduceOp.Sum ? MpiNative.Sum : MpiNative.Max, MpiNative.CommWorld), "MPI_Allreduce");
        }
    }

    public void Fail() => failed = true;

    public void Dispose()
    {
    }

    private static MpiWorld Initialize()
    {
        try
        {
            Check(MpiNative.MPI_Initialized(out var initialized), "MPI_Initialized");
            if (initialized == 0)
                Check(MpiNative.MPI_Init_thread(IntPtr.Zero, IntPtr.Zero, MpiNative.ThreadSerialized, out _), "MPI_Init_thread");
        }
        catch (DllNotFoundException)
        {
            throw new InvalidOperationException(
                "MPI (libmpich.so.12) is not installed: install MPICH (apt-get install mpich) to train one rank per process.");
        }
        Check(MpiNative.MPI_Comm_rank(MpiNative.CommWorld, out var rank), "MPI_Comm_rank");
        Check(MpiNative.MPI_Comm_size(MpiNative.CommWorld, out var size), "MPI_Comm_size");
        return new MpiWorld(rank, size);
    }

    private static void Check(int code, string call)
    {
        if (code != MpiNative.Success)
            throw new InvalidOperationException($"{call} failed with MPI error {code}.");
    }
}
