using System.Collections;
using System.IO.Compression;
using CloudAssembly.Model.Checkpoints;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace CloudAssembly.Model.Tests;

/// <summary>Checkpoints from an attacker or a broken disk: every one is refused with one clear error, none crashes the reader.</summary>
public class HostileCheckpointTests(ITestOutputHelper output)
{
    private static byte[] Valid()
    {
        var model = new Hashtable { ["w"] = arange(0, 64, dtype: float32).reshape(8, 8), ["b"] = zeros(8), ["epoch"] = 3 };
        using var stream = new MemoryStream();
        TorchSaveWriter.Save(new Hashtable { ["model"] = model, ["epoch"] = 3 }, stream);
        return stream.ToArray();
    }

    private static Exception? ReadBack(byte[] bytes)
    {
        try
        {
            TorchLoadReader.Read(new MemoryStream(bytes), "fuzzed.pth");
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    [Fact]
    public void Fuzzed_truncated_and_random_bytes_are_each_refused_with_InvalidDataException_and_nothing_else()
    {
        var valid = Valid();
        Assert.Null(ReadBack(valid));
        var random = new Random(7);
        var refused = 0;
        var read = 0;
        for (var i = 0; i < 400; i++)
        {
            var bytes = (i % 4) switch
            {
                0 => valid[..random.Next(valid.Length)],
                1 => Flip(valid, random, random.Next(1, 16)),
                2 => Garbage(random, random.Next(1, 4096)),
                _ => Overwrite(valid, random),
            };
            switch (ReadBack(bytes))
            {
                case null:
                    read++;
                    break;
                case InvalidDataException e:
                    Assert.StartsWith("Checkpoint 'fuzzed.pth' is not a readable PyTorch checkpoint", e.Message);
                    refused++;
                    break;
                case var other:
                    Assert.Fail($"case {i}: {other.GetType().Name}: {other.Message}");
                    break;
            }
        }
        output.WriteLine($"BAD INPUT fuzzed checkpoints: 400 tried, {refused} refused with InvalidDataException, {read} still read (flips in tensor bytes)");
        Assert.True(refused >= 300);
    }

    [Fact]
    public void A_compressed_entry_is_refused_before_it_is_inflated()
    {
        using var source = new ZipArchive(new MemoryStream(Valid()));
        using var packed = new MemoryStream();
        using (var zip = new ZipArchive(packed, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var entry in source.Entries)
            {
                using var from = entry.Open();
                using var to = zip.CreateEntry(entry.FullName, CompressionLevel.Optimal).Open();
                if (entry.FullName.EndsWith("data/0", StringComparison.Ordinal))
                    to.Write(new byte[1 << 20]);
                else
                    from.CopyTo(to);
            }
        var error = Assert.IsType<InvalidDataException>(ReadBack(packed.ToArray()));
        Assert.Contains("is compressed", error.Message);
        output.WriteLine($"BAD INPUT compressed entry: {error.Message}");
    }

    private static byte[] Flip(byte[] valid, Random random, int flips)
    {
        var bytes = (byte[])valid.Clone();
        for (var i = 0; i < flips; i++)
            bytes[random.Next(bytes.Length)] ^= (byte)random.Next(1, 256);
        return bytes;
    }

    private static byte[] Overwrite(byte[] valid, Random random)
    {
        var bytes = (byte[])valid.Clone();
        var at = random.Next(bytes.Length);
        random.NextBytes(bytes.AsSpan(at, Math.Min(bytes.Length - at, random.Next(1, 64))));
        return bytes;
    }

    private static byte[] Garbage(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
