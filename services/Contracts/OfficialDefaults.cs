namespace CloudAssembly.Contracts;

/// <summary>
/// The official <c>main.py</c> defaults that both a run's spec (<see cref="RunSpec"/>, <see cref="PhaseRecipe"/>) and one
/// phase's options (Training's <c>TrainOptions</c>, whose values the <c>train</c> command line shows as its defaults)
/// start from. They live here because Contracts references no other project: Training can read them, while Contracts
/// cannot see Training.
/// </summary>
public static class OfficialDefaults
{
    /// <summary>Base lr per 512 images; main.py scales it by the effective batch.</summary>
    public const double Lr = 5e-4;

    public const double WarmupLr = 1e-6;
    public const double MinLr = 1e-5;
    public const int WarmupEpochs = 20;
    public const double WeightDecay = 0.05;
    public const int UpdateFreq = 1;

    public const double Mixup = 0.8;
    public const double Cutmix = 1.0;
    public const double Smoothing = 0.1;
    public const string Aa = "rand-m9-mstd0.5-inc1";
    public const double Reprob = 0.25;
    public const double ColorJitter = 0.4;

    /// <summary>Padding of the small-input (≤ 32 px) RandomCrop; DeiT fixes it at 4.</summary>
    public const int CropPadding = 4;

    public const bool RepeatedAug = true;
    public const int InputSize = 224;
    public const string DataSet = "IMNET";
    public const string DataPath = "data";
}
