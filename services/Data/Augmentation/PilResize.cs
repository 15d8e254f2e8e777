using System.Buffers;
using CloudAssembly.Data.Images;

namespace CloudAssembly.Data.Augmentation;

/// <summary>
/// PIL's <c>Image.resize</c> for 8-bit images (Pillow's <c>ImagingResample</c>): a horizontal pass into an 8-bit
/// intermediate, then a vertical pass, each a convolution with the antialiased filter in 22-bit fixed point. The
/// integer arithmetic is Pillow's, so the bytes are Pillow's.
/// </summary>
public static class PilResize
{
    public static RgbImage Resize(RgbImage source, int width, int height, ResampleFilter filter) =>
        ResizeCrop(source, new CropBox(0, 0, source.Width, source.Height), width, height, filter);

    /// <summary>
    /// <c>source.crop(box).resize((width, height))</c>, what torchvision's <c>resized_crop</c> does, without building
    /// the crop. The filter stops at the edge of the crop, unlike PIL's <c>resize(box=...)</c>, which reads past it.
    /// </summary>
    public static RgbImage ResizeCrop(RgbImage source, CropBox box, int width, int height, ResampleFilter filter)
    {
        var destination = new RgbImage(width, height, source.Channels);
        ResizeCrop(source, box, destination, filter);
        return destination;
    }

    public static unsafe void ResizeCrop(RgbImage source, CropBox box, RgbImage destination, ResampleFilter filter)
    {
        if (box.Left < 0 || box.Top < 0 || box.Width < 1 || box.Height < 1
            || box.Right > source.Width || box.Bottom > source.Height)
            throw new ArgumentOutOfRangeException(nameof(box), $"{box} is not inside the {source.Width}x{source.Height} image.");
        if (destination.Channels != source.Channels)
            throw new ArgumentException($"Cannot resize {source.Channels} channels into {destination.Channels}.", nameof(destination));
        var channels = source.Channels;
        var width = destination.Width;
        var height = destination.Height;
        // Pillow skips a pass whose size does not change; the filter would be the identity there anyway.
        var horizontal = width != box.Width ? ResampleAxis.Compute(box.Width, width, filter) : null;
        var vertical = height != box.Height ? ResampleAxis.Compute(box.Height, height, filter) : null;
        var firstRow = vertical?.First[0] ?? 0;
        var rows = vertical is null ? height : vertical.First[height - 1] + vertical.Count[height - 1] - firstRow;

        fixed (byte* src = source.Pixels, dst = destination.Pixels)
        {
            var end = src + source.Pixels.Length;
            var crop = src + (long)box.Top * source.Stride + box.Left * channels;
            if (horizontal is null && vertical is null)
            {
                for (var y = 0; y < height; y++)
                    Buffer.MemoryCopy(crop + (long)y * source.Stride, dst + (long)y * destination.Stride, destination.Stride, destination.Stride);
                return;
            }
            if (horizontal is null)
            {
                ResamplePasses.Vertical(crop, source.Stride, dst, destination.Stride, destination.Stride, vertical!, 0);
                return;
            }
            if (vertical is null)
            {
                ResamplePasses.Horizontal(crop, source.Stride, end, dst, destination.Stride, rows, channels, horizontal);
                return;
            }
            // The horizontal pass covers only the source rows the vertical filter reaches.
            var tempStride = width * channels;
            var temp = ArrayPool<byte>.Shared.Rent(tempStride * rows);
            try
            {
                fixed (byte* tmp = temp)
                {
                    ResamplePasses.Horizontal(crop + (long)firstRow * source.Stride, source.Stride, end, tmp, tempStride, rows, channels, horizontal);
                    ResamplePasses.Vertical(tmp, tempStride, dst, destination.Stride, destination.Stride, vertical, firstRow);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(temp);
            }
        }
    }
}
