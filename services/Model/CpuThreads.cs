using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace CloudAssembly.Model;

/// <summary>
/// The CPU threads this process runs tensors and decodes images on. The budget is
/// <see cref="Environment.ProcessorCount"/>, which honours the affinity mask and the cgroup CPU quota of a container;
/// libtorch sizes its pool from the machine's cores instead (a pod limited to 4 CPUs on a 64-core node would start 64
/// threads and be throttled). libtorch's intra-op threads are libgomp's OpenMP threads, which by default spin for a
/// while at every barrier: beside a busy neighbour that spinning takes the CPU from the thread the barrier waits for,
/// and a step slows several times. <c>OMP_WAIT_POLICY=PASSIVE</c> makes them sleep instead. libgomp reads its
/// environment once, when it is loaded, from the native environment, which .NET's
/// <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not change on Linux; so this is set with libc's
/// <c>setenv</c> when this assembly loads, before anything can load libtorch. A value the user exported wins.
/// </summary>
public static partial class CpuThreads
{
    public const string WaitPolicyVariable = "OMP_WAIT_POLICY";
    public const string ThreadCountVariable = "OMP_NUM_THREADS";

    /// <summary>The CPUs this process may really use (affinity and cgroup quota).</summary>
    public static int Budget => Math.Max(1, Environment.ProcessorCount);

    /// <summary>Decode threads for a loader that asks for <paramref name="requested"/>: at least one, and no more than the budget.</summary>
    public static int DecodeWorkers(int requested) => Math.Clamp(requested, 1, Budget);

    /// <summary>
    /// Sizes libtorch's intra-op pool from the budget, unless the user chose it (<c>OMP_NUM_THREADS</c>). Called once
    /// libtorch is loaded; the environment set at load already asked libgomp for the same number.
    /// </summary>
    public static void SizeIntraOpPool()
    {
        if (Environment.GetEnvironmentVariable(ThreadCountVariable) is null && get_num_threads() != Budget)
            set_num_threads(Budget);
    }

    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries",
        Justification = "libgomp reads its environment when libtorch loads it, and every host reaches libtorch through this assembly.")]
    internal static void PrepareNativeEnvironment()
    {
        if (!OperatingSystem.IsLinux())
            return;
        SetIfUnset(WaitPolicyVariable, "PASSIVE");
        SetIfUnset(ThreadCountVariable, Budget.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static void SetIfUnset(string name, string value)
    {
        if (Environment.GetEnvironmentVariable(name) is null)
            _ = setenv(name, value, overwrite: 0);
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int setenv(string name, string value, int overwrite);
}
