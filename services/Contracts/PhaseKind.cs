namespace CloudAssembly.Contracts;

/// <summary>The jobs a run is made of: the official phases, the final evaluation and the E2E baseline.</summary>
public enum PhaseKind
{
    PT,
    MT,
    FT,
    E2E,
    Eval,
}
