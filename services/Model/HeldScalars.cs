using TorchSharp;

namespace CloudAssembly.Model;

/// <summary>
/// Scalars that live as long as the process. A number that TorchSharp turns into a <see cref="Scalar"/> on the fly (the
/// <c>1</c> that <c>a + b</c> and <c>a.add_(b)</c> pass as alpha, the <c>0.5</c> of <c>x * 0.5</c>) is referenced by
/// nothing once its handle has been read, so a garbage collection during the native call can run its finalizer and free
/// it while libtorch reads it: <c>c10::Error ... toFloat at c10/core/Scalar.h:140</c>, or a crash. Code that runs
/// tensors passes these, or Scalars its owner keeps (a field, a <c>using</c> declaration), instead; the Training tests'
/// <c>OnTheFlyScalarGuardTests</c> keeps it so.
/// </summary>
public static class HeldScalars
{
    /// <summary>The alpha that <c>add</c>/<c>add_</c> use when none is given.</summary>
    public static readonly Scalar One = 1;
}
