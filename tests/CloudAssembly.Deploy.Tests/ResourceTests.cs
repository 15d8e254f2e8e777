using k8s.Models;

namespace CloudAssembly.Deploy.Tests;

/// <summary>Requests, limits and probes on every container; every writable volume bounded, and covered by the limits.</summary>
public sealed class ResourceTests
{
    private static readonly string[] Resources = ["cpu", "memory", "ephemeral-storage"];

    [KubectlTheory]
    [InlineData(RenderedOverlays.LocalCpu)]
    [InlineData(RenderedOverlays.Gpu)]
    public void Every_container_requests_and_limits_cpu_memory_and_disk_and_every_long_running_one_is_probed(string overlay)
    {
        var objects = RenderedOverlays.Objects(overlay);
        var workloads = Manifests.Workloads(objects).ToList();

        // A Job's pod runs to its end: the process exiting is its signal, so only long-lived workloads are probed.
        Assert.All(Manifests.Pods(objects).SelectMany(p => Manifests.AllContainers(p.Template.Spec)), c => Assert.All(Resources, r =>
        {
            Assert.True(Manifests.Quantity(c.Resources?.Requests, r) is not null, $"{c.Name} requests no {r}.");
            Assert.True(Manifests.Quantity(c.Resources?.Limits, r) is not null, $"{c.Name} has no {r} limit.");
        }));
        Assert.All(workloads.SelectMany(w => w.Template.Spec.Containers), c =>
        {
            Assert.True(c.LivenessProbe is not null && c.ReadinessProbe is not null, $"{c.Name} lacks a liveness or readiness probe.");
        });
    }

    [KubectlTheory]
    [InlineData(RenderedOverlays.LocalCpu)]
    [InlineData(RenderedOverlays.Gpu)]
    public void Every_empty_dir_has_a_size_limit_that_the_pods_limits_cover(string overlay)
    {
        foreach (var (owner, template) in Manifests.Pods(RenderedOverlays.Objects(overlay)))
        {
            var pod = template.Spec;
            var emptyDirs = (pod.Volumes ?? []).Where(v => v.EmptyDir is not null).ToList();
            Assert.All(emptyDirs, v => Assert.True(v.EmptyDir.SizeLimit is not null, $"{owner.Name}: emptyDir {v.Name} has no sizeLimit."));

            // The kubelet evicts a pod whose disk emptyDirs and containers together pass the sum of its containers' limits.
            var disk = emptyDirs.Where(v => v.EmptyDir.Medium != "Memory").Sum(v => Bytes(v.EmptyDir.SizeLimit));
            var diskLimit = pod.Containers.Sum(c => Bytes(c.Resources.Limits["ephemeral-storage"]));
            Assert.True(diskLimit > disk, $"{owner.Name}: ephemeral-storage limits {diskLimit} do not cover its emptyDirs' {disk} bytes.");

            // Memory-backed volumes are charged to the pod's memory.
            var memory = emptyDirs.Where(v => v.EmptyDir.Medium == "Memory").Sum(v => Bytes(v.EmptyDir.SizeLimit));
            var memoryLimit = pod.Containers.Sum(c => Bytes(c.Resources.Limits["memory"]));
            Assert.True(memoryLimit > memory, $"{owner.Name}: memory limits {memoryLimit} do not cover its in-memory volumes' {memory} bytes.");
        }
    }

    [KubectlFact]
    public void Long_lived_trainers_keep_shards_phase_files_and_temp_on_their_own_bounded_volumes()
    {
        const string overlay = RenderedOverlays.LocalCpu;
        var trainer = Manifests.Deployment(RenderedOverlays.Objects(overlay), "trainer");
        var container = Manifests.Container(trainer);
        string Volume(string path) => container.VolumeMounts.Single(m => m.MountPath == path).Name;

        Assert.Equal("cache", Volume(Manifests.Env(container, "CLOUDASSEMBLY_CACHE")!));
        Assert.Equal("work", Volume(Manifests.Env(container, "Trainer__WorkFolder")!));
        Assert.Equal("tmp", Volume("/tmp"));
        Assert.Equal("Memory", trainer.Spec.Template.Spec.Volumes.Single(v => v.Name == Volume("/dev/shm")).EmptyDir.Medium);

        // The cache evicts to stay within its bound; a bound at or above the volume's sizeLimit would get the pod evicted instead.
        var bound = Bytes(new ResourceQuantity(Manifests.Env(container, "CLOUDASSEMBLY_CACHE_MAX_BYTES")!));
        var sizeLimit = Bytes(trainer.Spec.Template.Spec.Volumes.Single(v => v.Name == "cache").EmptyDir.SizeLimit);
        Assert.True(bound < sizeLimit, $"{overlay}: the shard cache's bound {bound} is not below its volume's sizeLimit {sizeLimit}.");
    }

    private static long Bytes(ResourceQuantity quantity) => (long)quantity.ToDecimal();
}
