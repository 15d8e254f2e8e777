namespace CloudAssembly.Orchestration.Messaging;

/// <summary>Which services' handlers a process hosts: one each in a cluster, all of them in the embedded run.</summary>
[Flags]
public enum ServiceRoles
{
    None = 0,
    Assembler = 1,
    Trainer = 2,
    DataPrep = 4,
    All = Assembler | Trainer | DataPrep,
}
