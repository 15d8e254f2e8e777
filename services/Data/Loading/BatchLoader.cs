using System.Runtime.InteropServices;
using CloudAssembly.Data.Augmentation;
using CloudAssembly.Data.Datasets;
using CloudAssembly.Data.Images;
using TorchSharp;
using static TorchSharp.torch;

namespace CloudAssembly.Data.Loading;

/// <summary>
/// Decodes and transforms batches on several threads ahead of the training loop. Workers write each sample straight
/// into the batch tensor's memory (pinned when the device is CUDA, then copied without blocking); batches come out in
/// order, at most <see cref="LoaderOptions.Prefetch"/> ahead. Each sample's randomness comes from (seed, epoch,
/// position), so the bytes do not depend on which thread did the work. A corrupt image is reported once and
/// replaced by the next readable sample, so batches stay full.
/// </summary>
public sealed class BatchLoader(IImageDataset dataset, ISampleTransform transform, SampleShape shape, ISampler sampler, LoaderOptions options)
{
    private const int MaxReplacements = 64;

    public event Action<string>? CorruptImage;

    public IImageDataset Dataset => dataset;

    public LoaderReport Report { get; } = new();

    public int BatchesPerEpoch => options.DropLast
        ? sampler.Length / options.BatchSize
        : (sampler.Length + options.BatchSize - 1) / options.BatchSize;

    public IEnumerable<Batch> Epoch(int epoch, CancellationToken cancellation = default)
    {
        if (transform.SampleLength != shape.Length)
            throw new ArgumentException($"The transform writes {transform.SampleLength} values per sample but the batch holds {shape.Channels}x{shape.Size}x{shape.Size}.");
        var indices = sampler.EpochIndices(epoch);
        var batches = BatchesPerEpoch;
        if (batches == 0)
            yield break;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var slots = Enumerable.Range(0, batches).Select(_ => new TaskCompletionSource<(Tensor, Tensor)>(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        var window = new SemaphoreSlim(Math.Max(1, options.Prefetch));
        var next = -1;
        var workers = Enumerable.Range(0, Math.Max(1, options.Workers)).Select(_ => Task.Run(() =>
        {
            while (true)
            {
                window.Wait(stop.Token);
                var b = Interlocked.Increment(ref next);
                if (b >= batches)
                {
                    window.Release();
                    return;
                }
                try
                {
                    slots[b].TrySetResult(Build(indices, b, epoch, stop.Token));
                }
                catch (Exception e)
                {
                    slots[b].TrySetException(e);
                    return;
                }
            }
        }, stop.Token)).ToArray();

        var delivered = 0;
        try
        {
            for (; delivered < batches; delivered++)
            {
                var (images, labels) = slots[delivered].Task.WaitAsync(stop.Token).GetAwaiter().GetResult();
                window.Release();
                yield return options.Device.type == DeviceType.CPU
                    ? new Batch(delivered, images, labels)
                    : ToDevice(delivered, images, labels);
            }
        }
        finally
        {
            stop.Cancel();
            try
            {
                Task.WaitAll(workers);
            }
            catch (AggregateException) when (stop.IsCancellationRequested)
            {
            }
            foreach (var slot in slots.Skip(delivered + 1))
                if (slot.Task.IsCompletedSuccessfully)
                {
                    slot.Task.Result.Item1.Dispose();
                    slot.Task.Result.Item2.Dispose();
                }
            window.Dispose();
        }
    }

    private Batch ToDevice(int index, Tensor images, Tensor labels)
    {
        var batch = new Batch(index, images.to(options.Device, non_blocking: true), labels.to(options.Device, non_blocking: true));
        images.Dispose();
        labels.Dispose();
        return batch;
    }

    private (Tensor Images, Tensor Labels) Build(IReadOnlyList<int> indices, int batch, int epoch, CancellationToken cancellation)
    {
        var start = batch * options.BatchSize;
        var size = Math.Min(options.BatchSize, indices.Count - start);
        int c = shape.Channels, s = shape.Size, sampleLength = shape.Length;
        var images = empty([size, c, s, s], ScalarType.Float32);
        if (options.Device.type == DeviceType.CUDA)
        {
            var pinned = images.pin_memory();
            images.Dispose();
            images = pinned;
        }
        var labels = new long[size];
        var pixels = MemoryMarshal.Cast<byte, float>(images.bytes);
        for (var k = 0; k < size; k++)
        {
            cancellation.ThrowIfCancellationRequested();
            var position = start + k;
            var (image, label) = LoadReadable(indices[position]);
            transform.Apply(image, SampleRandom.For(options.Seed, epoch, position), pixels.Slice(k * sampleLength, sampleLength));
            labels[k] = label;
        }
        return (images, tensor(labels));
    }

    private (RgbImage Image, int Label) LoadReadable(int index)
    {
        for (var attempt = 0; attempt < MaxReplacements; attempt++)
        {
            var candidate = (index + attempt) % dataset.Count;
            try
            {
                return (dataset.Load(candidate, shape.Channels), dataset.Label(candidate));
            }
            catch (CorruptImageException e)
            {
                if (Report.Record(candidate, e.Message))
                    CorruptImage?.Invoke($"{e.Message} Skipped; training goes on with the next readable image.");
            }
        }
        throw new InvalidDataException($"{MaxReplacements} images in a row from sample {index} of {dataset.Source} cannot be decoded; the dataset looks broken.");
    }
}
