using System.Collections;
using System.IO.Compression;
using System.Numerics;
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
        for (var i = 0; i < 500; i++)
        {
            var bytes = (i % 5) switch
            {
                0 => valid[..random.Next(valid.Length)],
                1 => Flip(valid, random, random.Next(1, 16)),
                2 => Garbage(random, random.Next(1, 4096)),
                3 => Overwrite(valid, random),
                _ => RandomDeclarations(random).Bytes(),
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
        output.WriteLine($"BAD INPUT fuzzed checkpoints: 500 tried (100 with random declared sizes), {refused} refused with InvalidDataException, {read} still read (flips in tensor bytes, or declarations that fit their storage)");
        Assert.True(refused >= 380);
    }

    public static TheoryData<string, CraftedCheckpoint, string> Declarations => new()
    {
        { "huge shape", new(16, 0, [int.MaxValue, int.MaxValue], [int.MaxValue, 1]), "more than the 16 its storage holds" },
        { "2^40 elements", new(16, 0, [BigInteger.One << 40], [1]), "more than the 16 its storage holds" },
        { "negative size", new(16, 0, [-1], [1]), "must not be negative" },
        { "negative stride", new(16, 0, [4], [-4]), "must not be negative" },
        { "negative offset", new(16, -1, [4], [1]), "must not be negative" },
        { "overflowing stride", new(16, 0, [2, 2], [long.MaxValue, 1]), "overflows 64-bit element arithmetic" },
        { "overflowing shape", new(16, 0, [long.MaxValue, long.MaxValue], [1, 1]), "overflows 64-bit element arithmetic" },
        { "stride past the storage", new(16, 0, [2, 2], [15, 1]), "reaching element 16 of a storage of 16" },
        { "offset past the storage", new(16, 14, [4], [1]), "reaching element 17 of a storage of 16" },
        { "size beyond 64 bits", new(16, 0, [BigInteger.One << 70], [1]), "not an integer that fits 64 bits" },
        { "33 dimensions", new(16, 0, [.. Enumerable.Repeat(BigInteger.One, 33)], [.. Enumerable.Repeat(BigInteger.One, 33)]), "more than the 32 a tensor may have" },
        { "2^60 declared elements", new(BigInteger.One << 60, 0, [4], [1]), "is declared as 1152921504606846976 FloatStorage elements but holds 64 bytes" },
        { "element count off by one", new(17, 0, [4], [1]), "is declared as 17 FloatStorage elements but holds 64 bytes" },
        { "negative element count", new(-1, 0, [4], [1]), "is declared as -1 FloatStorage elements" },
    };

    [Theory]
    [MemberData(nameof(Declarations))]
    public void A_declared_size_beyond_its_storage_is_refused_naming_the_file_and_entry_before_anything_is_allocated(string what, CraftedCheckpoint crafted, string reason)
    {
        var error = Assert.IsType<InvalidDataException>(ReadBack(crafted.Bytes()));
        Assert.StartsWith("Checkpoint 'fuzzed.pth' is not a readable PyTorch checkpoint", error.Message);
        Assert.Contains(reason, error.Message);
        Assert.Contains("archive/data/0", error.Message);
        output.WriteLine($"BAD INPUT {what}: {error.Message}");
    }

    [Fact]
    public void A_crafted_checkpoint_within_its_storage_reads_as_the_view_it_declares()
    {
        var read = TorchLoadReader.Read(new MemoryStream(new CraftedCheckpoint(16, 2, [2, 3], [4, 1]).Bytes()), "crafted.pth");
        var w = (Tensor)read["w"]!;
        Assert.Equal([2L, 3L], w.shape);
        Assert.Equal([4L, 1L], w.stride());
        Assert.Equal(0f, w.sum().item<float>());
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

    /// <summary>Element count, offset, shape and stride drawn from small, large, negative and boundary values.</summary>
    private static CraftedCheckpoint RandomDeclarations(Random random)
    {
        BigInteger[] values = [0, 1, 2, 4, 15, 16, 17, -1, int.MaxValue, uint.MaxValue, long.MaxValue, long.MinValue, BigInteger.One << 62, BigInteger.One << 64];
        BigInteger Any() => values[random.Next(values.Length)];
        var dims = random.Next(0, 5);
        return new CraftedCheckpoint(random.Next(3) == 0 ? Any() : 16, Any(), [.. Enumerable.Range(0, dims).Select(_ => Any())],
            [.. Enumerable.Range(0, random.Next(4) == 0 ? dims + 1 : dims).Select(_ => Any())]);
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
