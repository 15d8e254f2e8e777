using CloudAssembly.Training.Distributed;

namespace CloudAssembly.Training.Tests;

public class NcclLibraryTests
{
    [Fact]
    public void Nccl_beside_pytorch_is_found_through_a_linked_torch_lib()
    {
        var root = Directory.CreateTempSubdirectory("nccl-").FullName;
        try
        {
            var lib = Directory.CreateDirectory(Path.Combine(root, "site-packages", "torch", "lib")).FullName;
            var link = Path.Combine(root, "libtorch");
            Directory.CreateSymbolicLink(link, lib);

            var candidates = NcclLibrary.Candidates(setting: null, libtorchDir: link);

            Assert.Contains(Path.Combine(root, "site-packages", "nvidia", "nccl", "lib", "libnccl.so.2"), candidates);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
