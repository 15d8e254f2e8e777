using CloudAssembly.Model;
using CloudAssembly.Training.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace CloudAssembly.Training.Distributed;

/// <summary>The two things data parallelism adds to a step and an epoch: averaged gradients and identical replicas.</summary>
public static class DataParallel
{
    /// <summary>
    /// DDP's gradient: the mean over ranks of each rank's mean-loss gradient, as one all-reduce of the flat gradient
    /// buffer, before clipping and AdamW (so every rank clips and steps on the same numbers).
    /// </summary>
    public static void AverageGradients(FlatAdamW optimizer, ICollective ranks)
    {
        if (ranks.WorldSize == 1)
            return;
        ranks.AllReduce(optimizer.FlatGradients, ReduceOp.Sum);
        using Scalar worldSize = ranks.WorldSize;
        optimizer.FlatGradients.div_(worldSize);
    }

    /// <summary>The mean of one number over all ranks (the official log averages the epoch's loss across processes).</summary>
    public static double MeanOverRanks(double value, ICollective ranks, Device device)
    {
        if (ranks.WorldSize == 1)
            return value;
        using var buffer = tensor(new[] { value }, device: device);
        ranks.AllReduce(buffer, ReduceOp.Sum);
        return buffer.cpu().item<double>() / ranks.WorldSize;
    }

    /// <summary>
    /// Whether any rank's <paramref name="flag"/> is set (a SIGTERM that reached only some pods): every rank gets the same
    /// answer at the same point, so all stop after the same step.
    /// </summary>
    public static bool AnyRank(bool flag, ICollective ranks, Device device)
    {
        if (ranks.WorldSize == 1)
            return flag;
        using var buffer = tensor(new[] { flag ? 1f : 0f }, device: device);
        ranks.AllReduce(buffer, ReduceOp.Max);
        return buffer.cpu().item<float>() > 0;
    }

    /// <summary>
    /// Every rank's <paramref name="state"/> (a byte tensor of one size on every rank, such as a generator's state), row
    /// r being rank r's: each rank puts its bytes in its own row of zeros and the rows are summed, exactly, in fp32.
    /// </summary>
    public static Tensor GatherBytes(Tensor state, ICollective ranks, Device device)
    {
        using var scope = NewDisposeScope();
        var n = state.numel();
        // Flat, as every collective reduces: row r is the slice [r n, (r + 1) n).
        var rows = zeros(ranks.WorldSize * n, dtype: ScalarType.Float32, device: device);
        rows.narrow(0, ranks.Rank * n, n).copy_(state.flatten());
        ranks.AllReduce(rows, ReduceOp.Sum);
        return rows.to(ScalarType.Byte).cpu().view(ranks.WorldSize, n).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Fails loudly when this rank's optimized parameters differ from any other rank's: the maximum over ranks of
    /// (Σp, Σp², −Σp, −Σp²), summed in fp64, equals this rank's own values only where every rank has the same ones.
    /// </summary>
    public static void CheckReplicas(Tensor parameters, ICollective ranks, string phase, int epoch)
    {
        if (ranks.WorldSize == 1)
            return;
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var sum = parameters.sum(type: ScalarType.Float64);
        var squares = parameters.mul(parameters).sum(type: ScalarType.Float64);
        var local = stack([sum, squares, -sum, -squares]);
        var own = local.cpu().data<double>().ToArray();
        ranks.AllReduce(local, ReduceOp.Max);
        var all = local.cpu().data<double>().ToArray();
        if (!own.SequenceEqual(all))
            throw new ReplicaDriftException(
                $"{phase}: after epoch {epoch} the parameters of rank {ranks.Rank} differ from another rank's " +
                $"(Σp {own[0]:R} here, between {-all[2]:R} and {all[0]:R} across ranks); the replicas must stay identical, so the phase stops.");
    }
}
