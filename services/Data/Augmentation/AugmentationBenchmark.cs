using System.Diagnostics;
using CloudAssembly.Data.Images;

namespace CloudAssembly.Data.Augmentation;

/// <summary>Single-threaded throughput of a transform on decoded images, for a CLI command to print.</summary>
public static class AugmentationBenchmark
{
    /// <summary>
    /// Runs the transform (the official DeiT training transform when none is given) over <paramref name="count"/>
    /// samples, cycling through <paramref name="images"/>, after a short warm-up; returns images per second.
    /// </summary>
    public static double Run(IReadOnlyList<RgbImage> images, int count, ISampleTransform? transform = null)
    {
        if (images.Count == 0 || count < 1)
            throw new ArgumentException("The benchmark needs at least one image and one iteration.", nameof(images));
        transform ??= new TrainTransform(new AugmentationOptions());
        var sample = new float[transform.SampleLength];
        for (var i = 0; i < Math.Min(count, 20); i++)
            transform.Apply(images[i % images.Count], SampleRandom.For(-1, i), sample);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
            transform.Apply(images[i % images.Count], SampleRandom.For(0, i), sample);
        return count / watch.Elapsed.TotalSeconds;
    }
}
