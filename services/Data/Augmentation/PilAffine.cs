using System.Globalization;
using CloudAssembly.Data.Images;

namespace CloudAssembly.Data.Augmentation;

/// <summary>
/// PIL's <c>Image.transform(size, AFFINE, matrix, resample, fillcolor=fill)</c> and <c>Image.rotate</c> for 8-bit
/// images (Pillow's <c>ImagingGenericTransform</c>). Every output pixel centre is mapped through the inverse matrix
/// and sampled with the plain filter, no antialiasing: bilinear, or Pillow's bicubic, whose cubic has a = −1 (not
/// the −0.5 of resize), rows and columns clamped at the edge, the result truncated. Centres that land outside the
/// source get the fill colour.
/// </summary>
public static class PilAffine
{
    /// <param name="matrix">(a, b, c, d, e, f): output pixel (x, y) reads the source at (a·x + b·y + c, d·x + e·y + f).</param>
    /// <param name="fill">One value per channel.</param>
    public static RgbImage Transform(RgbImage source, ReadOnlySpan<double> matrix, ResampleFilter filter, ReadOnlySpan<byte> fill)
    {
        if (matrix.Length != 6)
            throw new ArgumentException($"An affine matrix has 6 coefficients, got {matrix.Length}.", nameof(matrix));
        if (fill.Length < source.Channels)
            throw new ArgumentException($"The fill needs {source.Channels} values, got {fill.Length}.", nameof(fill));
        var destination = new RgbImage(source.Width, source.Height, source.Channels);
        if (filter == ResampleFilter.Bicubic)
            AffineBicubic.Transform(source, destination, matrix, fill);
        else
            AffineBilinear.Transform(source, destination, matrix, fill);
        return destination;
    }

    /// <summary>
    /// <c>Image.rotate(degrees, resample, fillcolor=fill)</c>: counter-clockwise about the centre, same size. The
    /// matrix is Pillow's, cosine and sine rounded to 15 decimals as Pillow does.
    /// </summary>
    public static RgbImage Rotate(RgbImage source, double degrees, ResampleFilter filter, ReadOnlySpan<byte> fill)
    {
        var angle = degrees % 360.0;
        if (angle < 0)
            angle += 360.0;
        if (angle == 0)
            return source.Clone();
        var radians = -(angle * (Math.PI / 180.0));
        var cos = RoundTo15Decimals(Math.Cos(radians));
        var sin = RoundTo15Decimals(Math.Sin(radians));
        var centreX = source.Width / 2.0;
        var centreY = source.Height / 2.0;
        Span<double> matrix = [cos, sin, 0.0, -sin, cos, 0.0];
        matrix[2] = cos * -centreX + sin * -centreY + 0.0 + centreX;
        matrix[5] = -sin * -centreX + cos * -centreY + 0.0 + centreY;
        return Transform(source, matrix, filter, fill);
    }

    /// <summary>Python's <c>round(x, 15)</c>, which rounds the exact binary value, unlike <c>Math.Round(x, 15)</c>.</summary>
    private static double RoundTo15Decimals(double value) =>
        double.Parse(value.ToString("F15", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
