namespace CloudAssembly.Training;

/// <summary>
/// The official phases: PT pre-trains the meta model, MT incubates one module inside it, FT fine-tunes the assembled
/// model, E2E trains a model end to end (the baseline, and the plain training every other phase reduces to).
/// </summary>
public enum Phase
{
    PT,
    MT,
    FT,
    E2E,
}
