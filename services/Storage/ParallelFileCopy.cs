using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace CloudAssembly.Storage;

/// <summary>Copies a file into a new one in blocks read and written at their offsets, several at a time.</summary>
internal static class ParallelFileCopy
{
    /// <summary>Creates <paramref name="destinationPath"/> (which must not exist) with the first <paramref name="length"/> bytes of the source, flushed to disk.</summary>
    public static async Task ToNewFileAsync(SafeFileHandle source, long length, string destinationPath, BlobTransferOptions options,
        CancellationToken cancellationToken)
    {
        await using var destination = new FileStream(destinationPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1);
        if (length > 0)
        {
            destination.SetLength(length);
            var blockSize = options.BlockSize;
            var blocks = (length + blockSize - 1) / blockSize;
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken };
            await Parallel.ForAsync(0L, blocks, parallel, async (block, token) =>
            {
                var offset = block * blockSize;
                var count = (int)Math.Min(blockSize, length - offset);
                var buffer = ArrayPool<byte>.Shared.Rent(count);
                try
                {
                    await ReadExactlyAsync(source, buffer.AsMemory(0, count), offset, token);
                    await RandomAccess.WriteAsync(destination.SafeFileHandle, buffer.AsMemory(0, count), offset, token);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            });
        }
        destination.Flush(flushToDisk: true);
    }

    private static async Task ReadExactlyAsync(SafeFileHandle source, Memory<byte> buffer, long offset, CancellationToken cancellationToken)
    {
        while (buffer.Length > 0)
        {
            var read = await RandomAccess.ReadAsync(source, buffer, offset, cancellationToken);
            if (read == 0) throw new EndOfStreamException($"The file ended at byte {offset} while it was being copied; was it truncated meanwhile?");
            buffer = buffer[read..];
            offset += read;
        }
    }
}
