using System.Runtime.InteropServices;

namespace CloudAssembly.Training.Distributed;

/// <summary>
/// The few MPI calls the CPU backend needs, against MPICH's ABI (Debian's <c>mpich</c>: <c>libmpich.so.12</c>; Intel MPI
/// and MS-MPI share it). Handles are ints in this ABI; the constants are those of MPICH's <c>mpi.h</c>.
/// </summary>
internal static unsafe partial class MpiNative
{
    public const int CommWorld = 0x44000000;
    public const int Float = 0x4c00040a;
    public const int Double = 0x4c00080b;
    public const int Sum = 0x58000003;
    public const int Max = 0x58000001;
    public const int ThreadSerialized = 2;
    public const int Success = 0;
    public static readonly IntPtr InPlace = -1;

    private const string Library = "libmpich.so.12";

    [LibraryImport(Library)]
    public static partial int MPI_Initialized(out int flag);

    [LibraryImport(Library)]
    public static partial int MPI_Init_thread(IntPtr argc, IntPtr argv, int required, out int provided);

    [LibraryImport(Library)]
    public static partial int MPI_Comm_rank(int comm, out int rank);

    [LibraryImport(Library)]
    public static partial int MPI_Comm_size(int comm, out int size);

    [LibraryImport(Library)]
    public static partial int MPI_Allreduce(IntPtr sendBuffer, IntPtr receiveBuffer, int count, int datatype, int op, int comm);

    [LibraryImport(Library)]
    public static partial int MPI_Finalize();
}
