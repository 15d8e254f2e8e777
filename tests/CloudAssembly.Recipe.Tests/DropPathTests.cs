using CloudAssembly.Model;

namespace CloudAssembly.Recipe.Tests;

/// <summary><c>drop_path</c>: each block's stochastic-depth rate for a <c>--divided_depths</c> and <c>--drop-path</c>.</summary>
public class DropPathTests
{
    public static TheoryData<int> Cases => RecipeReference.Indices("drop_path");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_block_drops_with_the_official_probability(int index)
    {
        var reference = RecipeReference.Section("drop_path")[index];
        var depths = reference.GetProperty("divided_depths").Ints();
        var rate = reference.GetProperty("drop_path").GetDouble();
        var config = ModelCatalog.Create("vit_mini_patch4_28", 10, depths, rate);
        Close.Elements(reference.GetProperty("block_drop_prob").Doubles(), config.DropPathRates(), 1e-9, 0.0,
            $"depths [{string.Join(' ', depths)}], --drop-path {rate}");
    }
}
