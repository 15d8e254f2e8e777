using CloudAssembly.Training.Optimization;

namespace CloudAssembly.Training.Tests;

public class CosineScheduleTests
{
    // The official MT recipe: 100 epochs, 20 warm-up, base 5e-4 × 2048 / 512, min 1e-5, warm-up start 1e-6.
    private static readonly CosineSchedule Mt = new(CosineSchedule.ScaleLr(5e-4, 2048), 1e-5, 1e-6, 20, 100);

    [Fact]
    public void Linear_scaling_uses_the_effective_batch_over_512() => Assert.Equal(2e-3, Mt.BaseLr, 12);

    [Fact]
    public void Warm_up_is_linear_from_the_warm_up_lr()
    {
        Assert.Equal(1e-6, Mt.ValueAt(0), 15);
        Assert.Equal(1e-6 + 10 * (2e-3 - 1e-6) / 20, Mt.ValueAt(10), 15);
        Assert.Equal(1e-6 + 19 * (2e-3 - 1e-6) / 20, Mt.ValueAt(19), 15);
    }

    [Fact]
    public void Cosine_runs_on_t_over_T_from_epoch_zero_so_it_drops_after_warm_up()
    {
        // warmup_prefix=False: at t = 20 the cosine is evaluated at 20/100, not 0/80.
        var expected = 1e-5 + 0.5 * (2e-3 - 1e-5) * (1 + Math.Cos(Math.PI * 20 / 100));
        Assert.Equal(expected, Mt.ValueAt(20), 15);
        Assert.InRange(Mt.ValueAt(20) / Mt.BaseLr, 0.904, 0.906);
        Assert.True(Mt.ValueAt(19) > Mt.ValueAt(20));
        Assert.Equal(1e-5 + 0.5 * (2e-3 - 1e-5) * (1 + Math.Cos(Math.PI * 99 / 100)), Mt.ValueAt(99), 15);
        Assert.Equal(1e-5, Mt.ValueAt(100), 15);
    }

    [Fact]
    public void Epoch_e_trains_at_the_value_of_e_minus_one_and_epoch_zero_repeats()
    {
        Assert.Equal(Mt.ValueAt(0), Mt.LrForEpoch(0));
        Assert.Equal(Mt.ValueAt(0), Mt.LrForEpoch(1));
        Assert.Equal(Mt.ValueAt(20), Mt.LrForEpoch(21));
        var ft = new CosineSchedule(2e-3, 1e-5, 1e-6, 0, 100);
        Assert.Equal(2e-3, ft.LrForEpoch(0), 15);
        Assert.Equal(2e-3, ft.LrForEpoch(1), 15);
        Assert.True(ft.LrForEpoch(2) < 2e-3);
    }

    [Fact]
    public void A_fresh_run_from_start_epoch_trains_its_first_epoch_at_the_start_lr_and_a_resumed_one_continues()
    {
        // The official loop steps the scheduler only after an epoch: --start_epoch 5 trains epoch 5 at the constructor's lr.
        Assert.Equal(Mt.ValueAt(0), Mt.LrForEpoch(5, freshStart: 5));
        Assert.Equal(Mt.ValueAt(5), Mt.LrForEpoch(6, freshStart: 5));
        Assert.Equal(Mt.ValueAt(4), Mt.LrForEpoch(5, freshStart: null));
    }
}
