namespace CloudAssembly.AppHost.Tests;

/// <summary>A run spec that completes in a minute or two on a CPU: the ViT-mini on 256 Fashion-MNIST images, one epoch a phase.</summary>
public static class TinySpec
{
    public const string Json = """
        { "model": "vit_mini_patch4_28", "depths": [1, 1, 1, 1], "metaDepths": [1, 1, 1, 1], "dataSet": "FMNIST",
          "dataPath": "/usr/share/datasets/fashion-mnist", "inputSize": 28,
          "pretrain": { "epochs": 1, "batchSize": 64, "updateFreq": 1, "devicesPerNode": 1, "warmupEpochs": 0, "lr": 0.008 },
          "modules": { "epochs": 1, "batchSize": 64, "updateFreq": 1, "devicesPerNode": 1, "warmupEpochs": 0, "lr": 0.008 },
          "finetune": { "epochs": 1, "batchSize": 64, "updateFreq": 1, "devicesPerNode": 1, "warmupEpochs": 0, "lr": 0.008 },
          "mixup": 0, "cutmix": 0, "aa": "none", "colorJitter": 0, "cropPadding": 0, "reprob": 0, "repeatedAug": false,
          "trainLimit": 256, "evalLimit": 128 }
        """;
}
