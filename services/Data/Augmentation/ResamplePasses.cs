using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CloudAssembly.Data.Augmentation;

/// <summary>
/// The two convolution passes of <see cref="PilResize"/>. The sums are Pillow's integer sums, so the vector paths
/// (x86 with AVX2) give the same bytes as the scalar ones, which serve grey images and other CPUs.
/// </summary>
internal static unsafe class ResamplePasses
{
    private const int Half = 1 << (ResampleAxis.PrecisionBits - 1);

    /// <param name="sourceEnd">One past the last readable source byte: the vector path reads a fourth byte per RGB pixel.</param>
    public static void Horizontal(byte* src, int srcStride, byte* sourceEnd, byte* dst, int dstStride, int rows, int channels, ResampleAxis axis)
    {
        var last = axis.OutSize - 1;
        var rowExtent = (axis.First[last] + axis.Count[last]) * channels;
        fixed (int* weights = axis.Weights, firsts = axis.First, counts = axis.Count)
        {
            for (var y = 0; y < rows; y++)
            {
                var inRow = src + (long)y * srcStride;
                var outRow = dst + (long)y * dstStride;
                if (channels == 3 && Sse41.IsSupported && inRow + rowExtent < sourceEnd)
                    HorizontalRgbRow(inRow, outRow, weights, firsts, counts, axis);
                else
                    HorizontalRowScalar(inRow, outRow, weights, firsts, counts, axis, channels);
            }
        }
    }

    /// <summary>Output row yy sums source rows <c>First[yy] − firstRow</c> onwards of <paramref name="src"/>.</summary>
    public static void Vertical(byte* src, int srcStride, byte* dst, int rowBytes, int dstStride, ResampleAxis axis, int firstRow)
    {
        var vectorBytes = Avx2.IsSupported ? rowBytes & ~7 : 0;
        fixed (int* weights = axis.Weights)
        {
            for (var yy = 0; yy < axis.OutSize; yy++)
            {
                var k = weights + yy * axis.KernelSize;
                var count = axis.Count[yy];
                var top = src + (long)(axis.First[yy] - firstRow) * srcStride;
                var outRow = dst + (long)yy * dstStride;
                for (var i = 0; i < vectorBytes; i += 8)
                {
                    var sum = Vector256.Create(Half);
                    var p = top + i;
                    for (var t = 0; t < count; t++, p += srcStride)
                        sum = Avx2.Add(sum, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(p), Vector256.Create(k[t])));
                    sum = Avx2.ShiftRightArithmetic(sum, ResampleAxis.PrecisionBits);
                    // Saturating packs clamp to [0, 255] exactly as Pillow's clip8 table does.
                    var words = Sse2.PackSignedSaturate(sum.GetLower(), sum.GetUpper());
                    Unsafe.WriteUnaligned(outRow + i, Sse2.PackUnsignedSaturate(words, words).AsUInt64().ToScalar());
                }
                for (var i = vectorBytes; i < rowBytes; i++)
                {
                    var sum = Half;
                    var p = top + i;
                    for (var t = 0; t < count; t++, p += srcStride)
                        sum += *p * k[t];
                    outRow[i] = Clip8(sum);
                }
            }
        }
    }

    private static void HorizontalRgbRow(byte* inRow, byte* outPixel, int* weights, int* firsts, int* counts, ResampleAxis axis)
    {
        for (var xx = 0; xx < axis.OutSize; xx++, outPixel += 3)
        {
            var k = weights + xx * axis.KernelSize;
            var count = counts[xx];
            var p = inRow + firsts[xx] * 3;
            // Lanes R, G, B and the next pixel's red, which is computed and dropped.
            var sum = Vector128.Create(Half);
            for (var t = 0; t < count; t++, p += 3)
                sum = Sse2.Add(sum, Sse41.MultiplyLow(Sse41.ConvertToVector128Int32(p), Vector128.Create(k[t])));
            sum = Sse2.ShiftRightArithmetic(sum, ResampleAxis.PrecisionBits);
            var words = Sse2.PackSignedSaturate(sum, sum);
            var rgb = Sse2.PackUnsignedSaturate(words, words).AsUInt32().ToScalar();
            outPixel[0] = (byte)rgb;
            outPixel[1] = (byte)(rgb >> 8);
            outPixel[2] = (byte)(rgb >> 16);
        }
    }

    private static void HorizontalRowScalar(byte* inRow, byte* outPixel, int* weights, int* firsts, int* counts, ResampleAxis axis, int channels)
    {
        for (var xx = 0; xx < axis.OutSize; xx++)
        {
            var k = weights + xx * axis.KernelSize;
            var count = counts[xx];
            var p = inRow + firsts[xx] * channels;
            for (var c = 0; c < channels; c++, outPixel++)
            {
                var sum = Half;
                for (var t = 0; t < count; t++)
                    sum += p[t * channels + c] * k[t];
                *outPixel = Clip8(sum);
            }
        }
    }

    private static byte Clip8(int sum)
    {
        var v = sum >> ResampleAxis.PrecisionBits;
        return (uint)v <= 255 ? (byte)v : v < 0 ? (byte)0 : (byte)255;
    }
}
