namespace CloudAssembly.Data.Augmentation;

/// <summary>
/// The coefficient table of one axis of a PIL resize (<c>precompute_coeffs</c> and <c>normalize_coeffs_8bpc</c> in
/// Pillow's Resample.c): for every output pixel the first source pixel, the tap count and fixed-point weights. The
/// double arithmetic follows Pillow step by step so that the integer weights, and with them the output bytes, are
/// the same.
/// </summary>
internal sealed class ResampleAxis
{
    /// <summary>Pillow keeps 22 fraction bits: 8 for the value and 2 for overshoot of the negative lobes.</summary>
    public const int PrecisionBits = 32 - 8 - 2;

    private ResampleAxis(int outSize, int kernelSize)
    {
        OutSize = outSize;
        KernelSize = kernelSize;
        First = new int[outSize];
        Count = new int[outSize];
        Weights = new int[outSize * kernelSize];
    }

    public int OutSize { get; }

    /// <summary>Row length of <see cref="Weights"/>; every output pixel uses <c>Count[i] ≤ KernelSize</c> of them.</summary>
    public int KernelSize { get; }

    public int[] First { get; }

    public int[] Count { get; }

    public int[] Weights { get; }

    /// <summary>Maps <paramref name="outSize"/> pixels onto source pixels [0, <paramref name="inSize"/>).</summary>
    public static ResampleAxis Compute(int inSize, int outSize, ResampleFilter filter)
    {
        var filterSupport = filter == ResampleFilter.Bicubic ? 2.0 : 1.0;
        var scale = (double)inSize / outSize;
        // Downscaling widens the filter by the scale factor: that is PIL's antialiasing.
        var filterScale = Math.Max(scale, 1.0);
        var support = filterSupport * filterScale;
        var axis = new ResampleAxis(outSize, (int)Math.Ceiling(support) * 2 + 1);
        Span<double> k = stackalloc double[axis.KernelSize];
        var ss = 1.0 / filterScale;
        for (var xx = 0; xx < outSize; xx++)
        {
            var center = (xx + 0.5) * scale;
            var xmin = Math.Max((int)(center - support + 0.5), 0);
            var xmax = Math.Min((int)(center + support + 0.5), inSize) - xmin;
            var ww = 0.0;
            for (var x = 0; x < xmax; x++)
            {
                var w = Kernel(filter, (x + xmin - center + 0.5) * ss);
                k[x] = w;
                ww += w;
            }
            var row = axis.Weights.AsSpan(xx * axis.KernelSize, axis.KernelSize);
            for (var x = 0; x < xmax; x++)
            {
                var w = ww != 0.0 ? k[x] / ww : k[x];
                row[x] = w < 0 ? (int)(-0.5 + w * (1 << PrecisionBits)) : (int)(0.5 + w * (1 << PrecisionBits));
            }
            axis.First[xx] = xmin;
            axis.Count[xx] = xmax;
        }
        return axis;
    }

    private static double Kernel(ResampleFilter filter, double x)
    {
        if (x < 0.0)
            x = -x;
        if (filter == ResampleFilter.Bilinear)
            return x < 1.0 ? 1.0 - x : 0.0;
        const double a = -0.5;
        if (x < 1.0)
            return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
        if (x < 2.0)
            return (((x - 5) * x + 8) * x - 4) * a;
        return 0.0;
    }
}
