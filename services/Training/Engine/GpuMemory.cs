using System.Runtime.InteropServices;

namespace CloudAssembly.Training.Engine;

/// <summary>
/// Device memory in use, read through NVML (the driver's <c>libnvidia-ml.so.1</c>), because TorchSharp exposes no
/// CUDA memory statistics. Includes what PyTorch's caching allocator holds, so after warm-up it is the step's peak.
/// </summary>
internal static partial class GpuMemory
{
    [StructLayout(LayoutKind.Sequential)]
    private struct NvmlMemory
    {
        public ulong Total;
        public ulong Free;
        public ulong Used;
    }

    public static ulong? UsedBytes(int index)
    {
        try
        {
            if (nvmlInit_v2() != 0 || nvmlDeviceGetHandleByIndex_v2((uint)index, out var handle) != 0)
                return null;
            return nvmlDeviceGetMemoryInfo(handle, out var memory) == 0 ? memory.Used : null;
        }
        catch (DllNotFoundException)
        {
            return null;
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }
    }

    [LibraryImport("libnvidia-ml.so.1")]
    private static partial int nvmlInit_v2();

    [LibraryImport("libnvidia-ml.so.1")]
    private static partial int nvmlDeviceGetHandleByIndex_v2(uint index, out IntPtr device);

    [LibraryImport("libnvidia-ml.so.1")]
    private static partial int nvmlDeviceGetMemoryInfo(IntPtr device, out NvmlMemory memory);
}
