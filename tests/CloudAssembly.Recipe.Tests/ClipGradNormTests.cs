using CloudAssembly.Training.Optimization;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CloudAssembly.Recipe.Tests;

/// <summary><c>clip_grad_norm</c>: <c>torch.nn.utils.clip_grad_norm_</c> on given gradients, against the flat optimizer's clipping.</summary>
public class ClipGradNormTests
{
    public static TheoryData<int> Cases => RecipeReference.Indices("clip_grad_norm");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Total_norm_and_clipped_gradients_match_pytorch(int index)
    {
        var reference = RecipeReference.Section("clip_grad_norm")[index];
        var shapes = reference.GetProperty("shapes").EnumerateArray().Select(s => s.Ints().Select(d => (long)d).ToArray()).ToList();
        var parameters = shapes.Select((shape, i) => ($"p{i}", new Parameter(zeros(shape)))).ToList();
        using var optimizer = new FlatAdamW([new ParameterGroup(0.0, parameters)], 1e-3);
        var grads = reference.GetProperty("grads").EnumerateArray().ToList();
        using (no_grad())
            for (var i = 0; i < parameters.Count; i++)
                parameters[i].Item2.grad!.copy_(tensor(grads[i].Doubles().Select(g => (float)g).ToArray()).view(shapes[i]));

        using var norm = optimizer.ClipGradNorm(reference.GetProperty("max_norm").GetDouble());

        Close.Relative(reference.GetProperty("total_norm").GetDouble(), norm.item<float>(), 1e-6, "total norm");
        var clipped = reference.GetProperty("clipped").EnumerateArray().ToList();
        for (var i = 0; i < parameters.Count; i++)
            Close.Elements(clipped[i].Doubles(), [.. parameters[i].Item2.grad!.data<float>().ToArray().Select(g => (double)g)], 1e-6, 1e-9,
                $"clipped gradient {i}");
    }
}
