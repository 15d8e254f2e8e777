using CloudAssembly.Model;

namespace CloudAssembly.TestSupport;

/// <summary>The PyTorch-made reference data in the repository's <c>tests/reference/</c> (see its README).</summary>
public static class ReferenceFiles
{
    public static string Folder => Path.Combine(Repository.Root, "tests", "reference");

    public static string Path1Channel => Path.Combine(Folder, "tiny_c1_28_p4_d64_h4_k4x2.pth");

    public static string Path3ChannelNoBias => Path.Combine(Folder, "tiny_c3_32_p4_d96_h3_k4x1_nobias_eps5.pth");

    public static VitConfig Config1Channel => new("reference_c1_28", 28, 4, 1, 64, 4, 4.0, 10, true, 1e-6, [2, 2, 2, 2]);

    public static VitConfig Config3ChannelNoBias => new("reference_c3_32", 32, 4, 3, 96, 3, 4.0, 100, false, 1e-5, [1, 1, 1, 1]);
}
