using CloudAssembly.Data.Images;

namespace CloudAssembly.Data.Augmentation;

/// <summary>
/// Pillow's <c>bilinear_filter32RGB</c>/<c>bilinear_filter8</c> behind <see cref="PilAffine"/>: linear in x on the
/// two rows around the mapped centre, then in y, edges clamped, the result truncated.
/// </summary>
internal static class AffineBilinear
{
    public static unsafe void Transform(RgbImage source, RgbImage destination, ReadOnlySpan<double> a, ReadOnlySpan<byte> fill)
    {
        int width = source.Width, height = source.Height, channels = source.Channels, stride = source.Stride;
        double a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3], a4 = a[4], a5 = a[5];
        fixed (byte* src = source.Pixels, dst = destination.Pixels, fillValues = fill)
        {
            var output = dst;
            for (var y = 0; y < height; y++)
            {
                var yin = y + 0.5;
                for (var x = 0; x < width; x++, output += channels)
                {
                    var xin = x + 0.5;
                    var xo = a0 * xin + a1 * yin + a2;
                    var yo = a3 * xin + a4 * yin + a5;
                    if (xo < 0.0 || xo >= width || yo < 0.0 || yo >= height)
                    {
                        for (var c = 0; c < channels; c++)
                            output[c] = fillValues[c];
                        continue;
                    }
                    xo -= 0.5;
                    yo -= 0.5;
                    var ix = (int)Math.Floor(xo);
                    var iy = (int)Math.Floor(yo);
                    var dx = xo - ix;
                    var dy = yo - iy;
                    var x0 = Math.Clamp(ix, 0, width - 1) * channels;
                    var x1 = Math.Clamp(ix + 1, 0, width - 1) * channels;
                    var row0 = src + Math.Clamp(iy, 0, height - 1) * stride;
                    var row1 = src + Math.Clamp(iy + 1, 0, height - 1) * stride;
                    for (var c = 0; c < channels; c++)
                    {
                        var v1 = row0[x0 + c] + (row0[x1 + c] - row0[x0 + c]) * dx;
                        var v2 = row1[x0 + c] + (row1[x1 + c] - row1[x0 + c]) * dx;
                        output[c] = (byte)(v1 + (v2 - v1) * dy);
                    }
                }
            }
        }
    }
}
