using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace CloudAssembly.Model;

/// <summary>
/// Chooses and loads the native libtorch before anything touches <c>torch</c>. CPU uses the libtorch the build
/// carries (TorchSharp-cpu). CUDA uses either the TorchSharp-cuda-linux package or an installed PyTorch's
/// <c>torch/lib</c> folder (<c>--libtorch</c> or <c>CLOUDASSEMBLY_LIBTORCH</c>). Asking for CUDA where it cannot
/// be had is an error, never a quiet CPU run.
/// </summary>
public static class TorchRuntime
{
    public const string LibTorchVariable = "CLOUDASSEMBLY_LIBTORCH";

    private static readonly Lock Gate = new();
    private static string? loadedFrom;

    public static Device Initialize(string device = "cpu", string? libtorchDir = null)
    {
        libtorchDir ??= Environment.GetEnvironmentVariable(LibTorchVariable);
        var wantsCuda = device.StartsWith("cuda", StringComparison.OrdinalIgnoreCase);
        if (!wantsCuda && !device.Equals("cpu", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"Unknown device '{device}': use cpu, cuda or cuda:N.");
        lock (Gate)
        {
            if (!string.IsNullOrEmpty(libtorchDir) && loadedFrom is null)
                Preload(libtorchDir, wantsCuda);
        }
        CpuThreads.SizeIntraOpPool();
        if (!wantsCuda)
            return CPU;

        try
        {
            InitializeDeviceType(DeviceType.CUDA);
        }
        catch (Exception e)
        {
            throw new InvalidOperationException(
                $"--device {device} was asked for but CUDA libtorch could not be loaded " +
                $"({(string.IsNullOrEmpty(libtorchDir) ? $"no --libtorch folder or {LibTorchVariable} given" : $"from '{libtorchDir}'")}): " +
                $"{e.Message.Split('\n')[0].Split(" Trace from")[0]}", e);
        }
        if (!cuda.is_available())
            throw new InvalidOperationException($"--device {device} was asked for but libtorch reports no usable CUDA device.");
        // libtorch leaves TF32 off for fp32 matrix products; what stays fp32 (the master weights' optimizer maths aside) should use it.
        backends.cuda.matmul.allow_tf32 = true;
        backends.cudnn.allow_tf32 = true;
        var cudaDevice = new Device(device);
        if (cudaDevice.index >= cuda.device_count())
            throw new ArgumentException($"--device {device}: only {cuda.device_count()} CUDA device(s) are visible.");
        return cudaDevice;
    }

    private static void Preload(string dir, bool cudaLibraries)
    {
        if (!Directory.Exists(dir) || !File.Exists(Path.Combine(dir, "libtorch_cpu.so")))
            throw new DirectoryNotFoundException($"libtorch folder '{dir}' has no libtorch_cpu.so; point --libtorch at a PyTorch install's torch/lib.");
        string[] names = cudaLibraries
            ? ["libc10.so", "libtorch_cpu.so", "libc10_cuda.so", "libtorch_cuda.so", "libtorch.so"]
            : ["libc10.so", "libtorch_cpu.so", "libtorch.so"];
        foreach (var name in names)
        {
            var path = Path.Combine(dir, name);
            if (File.Exists(path))
                NativeLibrary.Load(path);
        }
        loadedFrom = dir;
    }
}
