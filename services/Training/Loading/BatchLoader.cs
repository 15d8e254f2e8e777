using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using CloudAssembly.Data;
using CloudAssembly.Data.Augmentation;
using CloudAssembly.Data.Loading;
using CloudAssembly.Data.Datasets;
using CloudAssembly.Data.Images;
using TorchSharp;
using static TorchSharp.torch;

namespace CloudAssembly.Training.Loading;

/// <summary>
/// Decodes and transforms batches on several threads ahead of the training loop. One thread reads the epoch's
/// samples from the source in order and cuts them into batches; workers decode and transform each sample straight
/// into the batch tensor's memory (pinned when the device is CUDA, then copied without blocking); batches come out
/// in order, at most <see cref="LoaderOptions.Prefetch"/> ahead. Each sample's randomness comes from (seed, epoch,
/// position), so the bytes do not depend on which thread did the work. A corrupt image is reported once and replaced
/// by the next readable sample of its batch, so batches stay full.
/// </summary>
public sealed class BatchLoader(ISampleSource source, ISampleTransform transform, SampleShape shape, LoaderOptions options)
{
    public BatchLoader(IImageDataset dataset, ISampleTransform transform, SampleShape shape, ISampler sampler, LoaderOptions options)
        : this(new DatasetSampleSource(dataset, sampler), transform, shape, options)
    {
    }

    public event Action<string>? CorruptImage;

    public ISampleSource Dataset => source;

    public LoaderReport Report { get; } = new();

    public int BatchesPerEpoch => options.BatchesPer(source.EpochLength);

    /// <summary>
    /// The epoch's batches from <paramref name="firstBatch"/> on: the earlier ones are cut from the same sample order
    /// but never decoded, and every sample's randomness depends on its position only, so a resumed epoch gives the same
    /// bytes as the rest of an uninterrupted one.
    /// </summary>
    public IEnumerable<Batch> Epoch(int epoch, CancellationToken cancellation = default, int firstBatch = 0)
    {
        if (transform.SampleLength != shape.Length)
            throw new ArgumentException($"The transform writes {transform.SampleLength} values per sample but the batch holds {shape.Channels}x{shape.Size}x{shape.Size}.");
        var batches = BatchesPerEpoch;
        if (batches == 0)
            yield break;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var slots = Enumerable.Range(0, batches).Select(_ => new TaskCompletionSource<(Tensor, Tensor)>(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        using var window = new SemaphoreSlim(Math.Max(1, options.Prefetch));
        using var queue = new BlockingCollection<(int Index, RawSample[] Samples)>();
        // Dedicated threads: a loader blocks for long stretches, and the shard reader's downloads need the thread pool.
        var tasks = new List<Task> { Task.Factory.StartNew(() => Produce(epoch, batches, firstBatch, queue, window, slots, stop.Token), CancellationToken.None,
            TaskCreationOptions.LongRunning, TaskScheduler.Default) };
        for (var w = 0; w < Math.Max(1, options.Workers); w++)
            tasks.Add(Task.Factory.StartNew(() => Work(epoch, queue, slots, stop.Token), stop.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default));

        var handedOut = firstBatch - 1;
        try
        {
            for (var b = firstBatch; b < batches; b++)
            {
                stop.Token.ThrowIfCancellationRequested();
                var (images, labels) = slots[b].Task.WaitAsync(stop.Token).GetAwaiter().GetResult();
                window.Release();
                handedOut = b;
                yield return options.Device.type == DeviceType.CPU
                    ? new Batch(b, images, labels)
                    : ToDevice(b, images, labels);
            }
        }
        finally
        {
            stop.Cancel();
            try
            {
                Task.WaitAll(tasks);
            }
            catch (AggregateException) when (stop.IsCancellationRequested)
            {
            }
            foreach (var slot in slots.Skip(handedOut + 1))
                if (slot.Task.IsCompletedSuccessfully)
                {
                    slot.Task.Result.Item1.Dispose();
                    slot.Task.Result.Item2.Dispose();
                }
        }
    }

    private void Produce(int epoch, int batches, int firstBatch, BlockingCollection<(int, RawSample[])> queue, SemaphoreSlim window,
        TaskCompletionSource<(Tensor, Tensor)>[] slots, CancellationToken cancellation)
    {
        var next = 0;
        var pending = new List<RawSample>(options.BatchSize);
        try
        {
            foreach (var sample in source.Epoch(epoch, cancellation))
            {
                pending.Add(sample);
                if (pending.Count == options.BatchSize)
                    Publish();
                if (next == batches)
                    break;
            }
            if (pending.Count > 0 && next < batches)
                Publish();
            if (next < batches)
                throw new InvalidDataException($"{source.Source} gave too few samples for epoch {epoch}: {batches} batches were due and only {next} came.");
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
        }
        catch (Exception e) when (next < batches)
        {
            slots[next].TrySetException(e);
        }
        finally
        {
            queue.CompleteAdding();
        }

        void Publish()
        {
            if (next < firstBatch)
            {
                next++;
                pending.Clear();
                return;
            }
            window.Wait(cancellation);
            queue.Add((next++, pending.ToArray()), cancellation);
            pending.Clear();
        }
    }

    private void Work(int epoch, BlockingCollection<(int Index, RawSample[] Samples)> queue, TaskCompletionSource<(Tensor, Tensor)>[] slots,
        CancellationToken cancellation)
    {
        foreach (var (index, samples) in queue.GetConsumingEnumerable(cancellation))
        {
            try
            {
                slots[index].TrySetResult(Build(index, samples, epoch, cancellation));
            }
            catch (Exception e)
            {
                slots[index].TrySetException(e);
                return;
            }
        }
    }

    private Batch ToDevice(int index, Tensor images, Tensor labels)
    {
        var batch = new Batch(index, images.to(options.Device, non_blocking: true), labels.to(options.Device, non_blocking: true));
        images.Dispose();
        labels.Dispose();
        return batch;
    }

    private (Tensor Images, Tensor Labels) Build(int batch, RawSample[] samples, int epoch, CancellationToken cancellation)
    {
        var size = samples.Length;
        int c = shape.Channels, s = shape.Size, sampleLength = shape.Length;
        var images = empty([size, c, s, s], ScalarType.Float32);
        try
        {
            if (options.Device.type == DeviceType.CUDA)
            {
                var pinned = images.pin_memory();
                images.Dispose();
                images = pinned;
            }
            var labels = new long[size];
            var pixels = MemoryMarshal.Cast<byte, float>(images.bytes);
            var decoder = new BatchDecoder(c);
            for (var k = 0; k < size; k++)
            {
                cancellation.ThrowIfCancellationRequested();
                var (image, label) = Readable(samples, k, decoder);
                transform.Apply(image, SampleRandom.For(options.Seed, epoch, batch * options.BatchSize + k), pixels.Slice(k * sampleLength, sampleLength));
                labels[k] = label;
            }
            return (images, tensor(labels));
        }
        catch
        {
            images.Dispose();
            throw;
        }
    }

    private (RgbImage Image, int Label) Readable(RawSample[] samples, int k, BatchDecoder decoder)
    {
        if (decoder.TryDecode(samples[k], out var error) is { } image)
            return (image, samples[k].Label);
        if (Report.Record(samples[k].Index, error))
            CorruptImage?.Invoke($"{error} Skipped; training goes on with another image of the batch.");
        for (var step = 1; step < samples.Length; step++)
        {
            var other = samples[(k + step) % samples.Length];
            if (decoder.TryDecode(other, out _) is { } replacement)
                return (replacement, other.Label);
        }
        throw new InvalidDataException($"None of the {samples.Length} images of a batch from {source.Source} can be decoded ({error}); the data looks broken.");
    }
}
