using System.Collections;
using CloudAssembly.Model;
using CloudAssembly.Model.Checkpoints;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CloudAssembly.Training.Optimization;

/// <summary>
/// <c>torch.optim.AdamW</c> (decoupled weight decay, bias-corrected moments) over parameters that live in one flat
/// buffer. At construction every trainable parameter is re-seated as a view of the flat parameter buffer and its
/// <c>.grad</c> as a view of the flat gradient buffer, so backward accumulates straight into it and a step is a
/// handful of kernels over the whole model instead of ~8 per tensor (TorchSharp's AdamW loops over tensors). Groups
/// are contiguous slices, so per-group weight decay is one kernel per group. Never call <c>module.zero_grad()</c>
/// (it would drop the gradient views): use <see cref="ZeroGrad"/>.
/// </summary>
public sealed class FlatAdamW : IDisposable
{
    private readonly Tensor parameters, gradients, expAvg, expAvgSq;
    private readonly (long Start, long Length)[] groupSlices;
    private readonly (long Offset, long[] Shape)[] slots;

    public FlatAdamW(IReadOnlyList<ParameterGroup> groups, double learningRate,
        double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8)
    {
        Groups = groups;
        LearningRate = learningRate;
        Beta1 = beta1;
        Beta2 = beta2;
        Eps = eps;
        var all = groups.SelectMany(g => g.Parameters).Select(p => p.Parameter).ToArray();
        if (all.Length == 0)
            throw new ArgumentException("The optimizer was given no trainable parameters.");
        var device = all[0].device;
        NumElements = all.Sum(p => p.numel());
        parameters = empty(NumElements, dtype: ScalarType.Float32, device: device);
        gradients = zeros(NumElements, dtype: ScalarType.Float32, device: device);
        expAvg = zeros(NumElements, dtype: ScalarType.Float32, device: device);
        expAvgSq = zeros(NumElements, dtype: ScalarType.Float32, device: device);

        groupSlices = new (long, long)[groups.Count];
        slots = new (long, long[])[all.Length];
        long offset = 0;
        var slot = 0;
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        for (var g = 0; g < groups.Count; g++)
        {
            var start = offset;
            foreach (var (_, p) in groups[g].Parameters)
            {
                if (p.dtype != ScalarType.Float32 || p.device_type != device.type || p.device_index != device.index)
                    throw new ArgumentException("All optimized parameters must be fp32 master weights on one device.");
                var n = p.numel();
                var view = parameters.narrow(0, offset, n).view(p.shape);
                view.copy_(p);
                p.set_(view);
                p.grad = gradients.narrow(0, offset, n).view(p.shape);
                slots[slot++] = (offset, p.shape);
                offset += n;
            }
            groupSlices[g] = (start, offset - start);
        }
    }

    public IReadOnlyList<ParameterGroup> Groups { get; }

    public double LearningRate { get; set; }

    public double Beta1 { get; }

    public double Beta2 { get; }

    public double Eps { get; }

    /// <summary>Optimizer steps taken so far (PyTorch's per-parameter <c>state['step']</c>).</summary>
    public long StepCount { get; private set; }

    public long NumElements { get; }

    /// <summary>All optimized parameters as one flat tensor (a view, not a copy).</summary>
    public Tensor FlatParameters => parameters;

    /// <summary>All gradients as one flat tensor (a view, not a copy).</summary>
    public Tensor FlatGradients => gradients;

    public void ZeroGrad() => gradients.zero_();

    /// <summary>
    /// <c>clip_grad_norm_</c> over exactly the optimized parameters, without reading the norm back to the host:
    /// grads are scaled by min(1, max_norm / (‖g‖ + 1e-6)). Returns the norm before clipping, as a tensor.
    /// </summary>
    public Tensor ClipGradNorm(double maxNorm)
    {
        using Scalar max = maxNorm, epsilon = 1e-6, one = 1.0;
        var norm = gradients.norm();
        using var denominator = norm.add(epsilon, HeldScalars.One);
        using var coefficient = denominator.reciprocal().mul_(max).clamp_max(one);
        gradients.mul_(coefficient);
        return norm;
    }

    public void Step()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        StepCount++;
        var lr = LearningRate;
        for (var g = 0; g < Groups.Count; g++)
        {
            var wd = Groups[g].WeightDecay;
            var (start, length) = groupSlices[g];
            if (wd != 0 && length > 0)
            {
                using Scalar decay = 1 - lr * wd;
                parameters.narrow(0, start, length).mul_(decay);
            }
        }
        var biasCorrection1 = 1 - Math.Pow(Beta1, StepCount);
        var biasCorrection2 = 1 - Math.Pow(Beta2, StepCount);
        using Scalar beta1 = Beta1, gradientShare = 1 - Beta1, beta2 = Beta2, squareShare = 1 - Beta2,
            correction2 = Math.Sqrt(biasCorrection2), eps = Eps, stepSize = -lr / biasCorrection1;
        expAvg.mul_(beta1).add_(gradients, alpha: gradientShare);
        expAvgSq.mul_(beta2).addcmul_(gradients, gradients, value: squareShare);
        var denominator = expAvgSq.sqrt().div_(correction2).add_(eps, HeldScalars.One);
        parameters.addcdiv_(expAvg, denominator, value: stepSize);
    }

    /// <summary>The optimizer in PyTorch's <c>optimizer.state_dict()</c> layout (what the official checkpoints hold).</summary>
    public Dictionary<string, object?> StateDict()
    {
        var state = new Dictionary<int, object?>();
        if (StepCount > 0)
        {
            for (var i = 0; i < slots.Length; i++)
            {
                var (offset, shape) = slots[i];
                var n = shape.Aggregate(1L, (a, b) => a * b);
                state[i] = new Dictionary<string, object?>
                {
                    ["step"] = tensor((float)StepCount),
                    ["exp_avg"] = expAvg.narrow(0, offset, n).view(shape).cpu().clone(),
                    ["exp_avg_sq"] = expAvgSq.narrow(0, offset, n).view(shape).cpu().clone(),
                };
            }
        }
        var paramGroups = new List<object?>();
        var index = 0;
        foreach (var group in Groups)
        {
            paramGroups.Add(new Dictionary<string, object?>
            {
                ["lr"] = LearningRate,
                ["betas"] = new PyTuple(Beta1, Beta2),
                ["eps"] = Eps,
                ["weight_decay"] = group.WeightDecay,
                ["amsgrad"] = false,
                ["maximize"] = false,
                ["foreach"] = null,
                ["capturable"] = false,
                ["differentiable"] = false,
                ["fused"] = null,
                ["params"] = Enumerable.Range(index, group.Parameters.Count).Cast<object?>().ToList(),
                ["param_names"] = group.Parameters.Select(p => (object?)p.Name).ToList(),
            });
            index += group.Parameters.Count;
        }
        return new Dictionary<string, object?> { ["state"] = state, ["param_groups"] = paramGroups };
    }

    /// <summary>Restores moments and the step count from a state dict that <see cref="StateDict"/> (or PyTorch) wrote for the same parameters.</summary>
    public void LoadStateDict(IDictionary saved, string source)
    {
        if (saved["param_groups"] is not IList savedGroups || saved["state"] is not IDictionary savedState)
            throw new InvalidDataException($"The optimizer state in {source} has no param_groups/state.");
        var counts = savedGroups.Cast<IDictionary>().Select(g => ((IList)g["params"]!).Count).ToArray();
        var expected = Groups.Select(g => g.Parameters.Count).ToArray();
        if (!counts.SequenceEqual(expected))
            throw new CheckpointMismatchException(
                $"The optimizer state in {source} has groups of [{string.Join(", ", counts)}] parameters; this phase optimizes [{string.Join(", ", expected)}].");
        using var _ = no_grad();
        StepCount = 0;
        foreach (DictionaryEntry entry in savedState)
        {
            var i = Convert.ToInt32(entry.Key, System.Globalization.CultureInfo.InvariantCulture);
            var s = (IDictionary)entry.Value!;
            var (offset, shape) = slots[i];
            var n = shape.Aggregate(1L, (a, b) => a * b);
            var m = (Tensor)s["exp_avg"]!;
            if (!m.shape.SequenceEqual(shape))
                throw new CheckpointMismatchException($"The optimizer state in {source} does not match parameter {i}'s shape.");
            expAvg.narrow(0, offset, n).copy_(m.reshape(-1));
            expAvgSq.narrow(0, offset, n).copy_(((Tensor)s["exp_avg_sq"]!).reshape(-1));
            StepCount = s["step"] is Tensor step ? (long)step.item<float>() : Convert.ToInt64(s["step"], System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    public void Dispose()
    {
        parameters.Dispose();
        gradients.Dispose();
        expAvg.Dispose();
        expAvgSq.Dispose();
    }
}
