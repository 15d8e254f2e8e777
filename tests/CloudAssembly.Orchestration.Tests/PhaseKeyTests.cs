using CloudAssembly.Contracts;

namespace CloudAssembly.Orchestration.Tests;

public class PhaseKeyTests
{
    [Fact]
    public void Phase_names_sort_in_the_order_the_method_runs_them_with_modules_by_number()
    {
        string[] names = ["E2E", "Eval", "MT_10", "FT", "MT_2", "PT", "MT_0"];

        Assert.Equal(["PT", "MT_0", "MT_2", "MT_10", "FT", "Eval", "E2E"], names.OrderBy(PhaseKey.Parse).Select(k => k.ToString()));
    }
}
