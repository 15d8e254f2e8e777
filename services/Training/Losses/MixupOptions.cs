namespace CloudAssembly.Training.Losses;

/// <summary>timm's <c>Mixup</c> settings as DeiT's flags spell them (<c>--mixup</c>, <c>--cutmix</c>, ...).</summary>
public sealed record MixupOptions(
    int NumClasses,
    double MixupAlpha = 0.8,
    double CutmixAlpha = 1.0,
    (double Min, double Max)? CutmixMinMax = null,
    double Prob = 1.0,
    double SwitchProb = 0.5,
    string Mode = "batch",
    double LabelSmoothing = 0.1)
{
    /// <summary>DeiT's <c>mixup_active</c>: any of mixup, cutmix or a cutmix min/max is set.</summary>
    public bool Active => MixupAlpha > 0 || CutmixAlpha > 0 || CutmixMinMax is not null;
}
