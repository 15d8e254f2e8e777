using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace CloudAssembly.Training.Distributed;

/// <summary>
/// The address of a tensor's first element (host or device memory), for collectives that work in place on raw
/// buffers. TorchSharp 0.107 has no public <c>data_ptr()</c>; its native library exports <c>THSTensor_data</c>, which is
/// <c>tensor.data_ptr()</c>.
/// </summary>
public static unsafe class TensorMemory
{
    private static readonly delegate* unmanaged<IntPtr, IntPtr> DataPointer = Load();

    public static IntPtr Address(Tensor tensor)
    {
        if (!tensor.is_contiguous())
            throw new ArgumentException("A collective needs a contiguous buffer.", nameof(tensor));
        return DataPointer(tensor.Handle);
    }

    private static delegate* unmanaged<IntPtr, IntPtr> Load()
    {
        // Resolved the way TorchSharp's own [DllImport("LibTorchSharp")] is, so it is the library already loaded.
        var library = NativeLibrary.Load("LibTorchSharp", typeof(torch).Assembly, null);
        return (delegate* unmanaged<IntPtr, IntPtr>)NativeLibrary.GetExport(library, "THSTensor_data");
    }
}
