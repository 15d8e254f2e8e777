using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using CloudAssembly.Data.Images;

namespace CloudAssembly.Data.Augmentation;

/// <summary>
/// Pillow's <c>bicubic_filter32RGB</c>/<c>bicubic_filter8</c> behind <see cref="PilAffine"/>: a cubic with a = −1
/// on the 4×4 neighbourhood of the mapped centre, edges clamped, the result clipped and truncated. RGB goes through
/// double vector lanes on x86 with AVX2, with the same operations in the same order, so the same bytes.
/// </summary>
internal static class AffineBicubic
{
    public static unsafe void Transform(RgbImage source, RgbImage destination, ReadOnlySpan<double> a, ReadOnlySpan<byte> fill)
    {
        int width = source.Width, height = source.Height, channels = source.Channels, stride = source.Stride;
        double a2 = a[2], a5 = a[5];
        var vector = channels == 3 && Avx2.IsSupported;
        // a·x + b·y + c is evaluated as (a·x + b·y) + c like Pillow; the products can be tabulated without changing a bit.
        var xTerms = new double[2 * width];
        for (var x = 0; x < width; x++)
        {
            xTerms[2 * x] = a[0] * (x + 0.5);
            xTerms[2 * x + 1] = a[3] * (x + 0.5);
        }
        fixed (byte* src = source.Pixels, dst = destination.Pixels, fillValues = fill)
        fixed (double* terms = xTerms)
        {
            var output = dst;
            for (var y = 0; y < height; y++)
            {
                var bY = a[1] * (y + 0.5);
                var eY = a[4] * (y + 0.5);
                for (var x = 0; x < width; x++, output += channels)
                {
                    var xo = terms[2 * x] + bY + a2;
                    var yo = terms[2 * x + 1] + eY + a5;
                    if (xo < 0.0 || xo >= width || yo < 0.0 || yo >= height)
                    {
                        for (var c = 0; c < channels; c++)
                            output[c] = fillValues[c];
                        continue;
                    }
                    xo -= 0.5;
                    yo -= 0.5;
                    var ix = Floor(xo);
                    var iy = Floor(yo);
                    var dx = xo - ix;
                    var dy = yo - iy;
                    // The vector loads read one byte past the pixel, which must not be the last pixel of the image.
                    var vectorSafe = vector && (iy + 2 < height - 1 || ix + 2 < width - 1);
                    if (vectorSafe && ix >= 1 && ix + 2 < width && iy >= 1 && iy + 2 < height)
                    {
                        var row = src + iy * stride;
                        var column = ix * 3;
                        BicubicRgb(row - stride, row, row + stride, row + 2 * stride, column - 3, column, column + 3, column + 6, dx, dy, output);
                        continue;
                    }
                    // Pillow reuses the previous row past the edge and clamps columns; both amount to clamping.
                    var r0 = Math.Clamp(iy - 1, 0, height - 1) * stride;
                    var r1 = Math.Clamp(iy, 0, height - 1) * stride;
                    var r2 = Math.Clamp(iy + 1, 0, height - 1) * stride;
                    var r3 = Math.Clamp(iy + 2, 0, height - 1) * stride;
                    var c0 = Math.Clamp(ix - 1, 0, width - 1) * channels;
                    var c1 = Math.Clamp(ix, 0, width - 1) * channels;
                    var c2 = Math.Clamp(ix + 1, 0, width - 1) * channels;
                    var c3 = Math.Clamp(ix + 2, 0, width - 1) * channels;
                    if (vectorSafe)
                    {
                        BicubicRgb(src + r0, src + r1, src + r2, src + r3, c0, c1, c2, c3, dx, dy, output);
                        continue;
                    }
                    for (var c = 0; c < channels; c++)
                    {
                        var v = dy == 0.0
                            ? CubicRow(src + r1 + c, c0, c1, c2, c3, dx)
                            : Cubic(CubicRow(src + r0 + c, c0, c1, c2, c3, dx), CubicRow(src + r1 + c, c0, c1, c2, c3, dx),
                                CubicRow(src + r2 + c, c0, c1, c2, c3, dx), CubicRow(src + r3 + c, c0, c1, c2, c3, dx), dy);
                        output[c] = v <= 0.0 ? (byte)0 : v >= 255.0 ? (byte)255 : (byte)v;
                    }
                }
            }
        }
    }

    /// <summary>Pillow's FLOOR, without the rounding instruction: truncate, then step down below zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Floor(double v)
    {
        var t = (int)v;
        return v < t ? t - 1 : t;
    }

    /// <summary>
    /// The three channels at once in double lanes, with the same operations in the same order as Pillow's macro, so
    /// the same results. A zero offset makes the cubic return its second sample exactly, so only that one is read.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void BicubicRgb(byte* row0, byte* row1, byte* row2, byte* row3, int c0, int c1, int c2, int c3, double dx, double dy, byte* output)
    {
        Vector256<double> v;
        if (dy == 0.0)
        {
            v = CubicRowRgb(row1, c0, c1, c2, c3, dx);
        }
        else
        {
            v = Cubic(CubicRowRgb(row0, c0, c1, c2, c3, dx), CubicRowRgb(row1, c0, c1, c2, c3, dx),
                CubicRowRgb(row2, c0, c1, c2, c3, dx), CubicRowRgb(row3, c0, c1, c2, c3, dx), Vector256.Create(dy));
        }
        v = Avx.Min(Avx.Max(v, Vector256<double>.Zero), Vector256.Create(255.0));
        var ints = Avx.ConvertToVector128Int32WithTruncation(v);
        var words = Sse2.PackSignedSaturate(ints, ints);
        var rgb = Sse2.PackUnsignedSaturate(words, words).AsUInt32().ToScalar();
        output[0] = (byte)rgb;
        output[1] = (byte)(rgb >> 8);
        output[2] = (byte)(rgb >> 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<double> CubicRowRgb(byte* row, int c0, int c1, int c2, int c3, double dx)
    {
        if (dx == 0.0)
            return LoadPixel(row + c1);
        return Cubic(LoadPixel(row + c0), LoadPixel(row + c1), LoadPixel(row + c2), LoadPixel(row + c3), Vector256.Create(dx));
    }

    /// <summary>Lanes R, G, B and the next byte, which is carried along and dropped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<double> LoadPixel(byte* p) => Avx.ConvertToVector256Double(Sse41.ConvertToVector128Int32(p));

    /// <summary>Pillow's BICUBIC macro; −a + b and b − a round alike, so the subtractions are written directly.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Cubic(Vector256<double> v1, Vector256<double> v2, Vector256<double> v3, Vector256<double> v4, Vector256<double> d)
    {
        var p2 = Avx.Subtract(v3, v1);
        var p3 = Avx.Subtract(Avx.Add(Avx.Multiply(Vector256.Create(2.0), Avx.Subtract(v1, v2)), v3), v4);
        var p4 = Avx.Add(Avx.Subtract(Avx.Subtract(v2, v1), v3), v4);
        return Avx.Add(v2, Avx.Multiply(d, Avx.Add(p2, Avx.Multiply(d, Avx.Add(p3, Avx.Multiply(d, p4))))));
    }

    /// <summary>Pillow's cubic along a row of byte samples: integer differences first, as its macro does.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe double CubicRow(byte* row, int c0, int c1, int c2, int c3, double d)
    {
        int v2 = row[c1];
        if (d == 0.0)
            return v2;
        int v1 = row[c0], v3 = row[c2], v4 = row[c3];
        double p1 = v2;
        double p2 = -v1 + v3;
        double p3 = 2 * (v1 - v2) + v3 - v4;
        double p4 = -v1 + v2 - v3 + v4;
        return p1 + d * (p2 + d * (p3 + d * p4));
    }

    private static double Cubic(double v1, double v2, double v3, double v4, double d)
    {
        var p1 = v2;
        var p2 = -v1 + v3;
        var p3 = 2 * (v1 - v2) + v3 - v4;
        var p4 = -v1 + v2 - v3 + v4;
        return p1 + d * (p2 + d * (p3 + d * p4));
    }
}
