using CloudAssembly.Contracts;
using CloudAssembly.Pipeline;

namespace CloudAssembly.Training.Tests;

public class ClippingTests
{
    [Fact]
    public void Clip_grad_acts_only_under_AMP_unless_fp32_clipping_is_asked_for()
    {
        var fp32 = new TrainOptions { ClipGrad = 1.0 };
        Assert.Null(fp32.StepClipNorm);
        Assert.Equal(1.0, (fp32 with { UseAmp = true }).StepClipNorm);
        Assert.Equal(1.0, (fp32 with { ClipGradInFp32 = true }).StepClipNorm);
        Assert.Null(new TrainOptions { UseAmp = true, ClipGradInFp32 = true }.StepClipNorm);
    }

    [Fact]
    public void The_demo_fine_tune_clips_in_fp32_by_choice_and_the_ViT_B_recipe_clips_as_the_official_code()
    {
        string[] modules = ["m0", "m1", "m2", "m3"];
        Assert.Equal(1.0, PhasePlanner.Finetune(RunSpec.FashionMnistDemo(), modules, "out", "cpu").StepClipNorm);
        var vitB = new RunSpec();
        Assert.Null(PhasePlanner.Finetune(vitB, modules, "out", "cuda").StepClipNorm);
        Assert.Equal(1.0, PhasePlanner.Finetune(vitB with { UseAmp = true }, modules, "out", "cuda").StepClipNorm);
    }
}
