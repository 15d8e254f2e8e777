namespace CloudAssembly.Orchestration.Messaging;

/// <summary>Queue names, pinned so manifests and dashboards do not change when a class is renamed.</summary>
public static class QueueNames
{
    public const string Assembler = "assembler";
    public const string Trainer = "trainer";
    public const string DataPrep = "data-prep";
}
