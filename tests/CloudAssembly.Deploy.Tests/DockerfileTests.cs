using System.Text.RegularExpressions;

namespace CloudAssembly.Deploy.Tests;

/// <summary>services/Dockerfile: one file for the three services, on base images pinned to exact releases.</summary>
public sealed partial class DockerfileTests
{
    private static readonly string Dockerfile = File.ReadAllText(Path.Combine(Repository.Root, "services", "Dockerfile"));

    [Fact]
    public void Every_base_image_is_pinned_to_an_exact_release()
    {
        var images = BaseImage().Matches(Dockerfile).Select(m => m.Groups[1].Value).ToList();

        Assert.Equal(3, images.Count);
        Assert.All(images, image => Assert.Matches(@":\d+\.\d+\.\d+(-[a-z0-9.-]+)?(@sha256:[0-9a-f]{64})?$", image));
    }

    [Fact]
    public void One_file_builds_every_service_image_from_one_source_stage()
    {
        var targets = Target().Matches(Dockerfile).Select(m => m.Groups[1].Value).ToHashSet();

        Assert.Superset(new HashSet<string> { "assembler", "data-prep", "trainer-cpu", "trainer-cuda" }, targets);
        Assert.Single(Regex.Matches(Dockerfile, @"^COPY services/ services/$", RegexOptions.Multiline));
        Assert.False(Directory.EnumerateFiles(Path.Combine(Repository.Root, "services"), "Dockerfile", SearchOption.AllDirectories).Skip(1).Any(),
            "services/Dockerfile is the only Dockerfile.");
    }

    [GeneratedRegex(@"^ARG \w+_IMAGE=(\S+)$", RegexOptions.Multiline)]
    private static partial Regex BaseImage();

    [GeneratedRegex(@"^FROM \S+ AS ([a-z-]+)$", RegexOptions.Multiline)]
    private static partial Regex Target();
}
