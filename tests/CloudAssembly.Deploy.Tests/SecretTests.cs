using System.Text;
using System.Text.RegularExpressions;
using k8s.Models;

namespace CloudAssembly.Deploy.Tests;

/// <summary>Nothing secret in git: the production overlay renders no Secret, the local one only throwaway values.</summary>
public sealed partial class SecretTests
{
    // Azurite's development account key, published in its documentation: the same on every machine, a secret of no one.
    private const string AzuriteKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private const string LocalOverlay = "overlays/local-cpu/kustomization.yaml";

    [KubectlFact]
    public void The_gpu_overlay_renders_no_secret_and_no_credential_in_any_value()
    {
        var objects = RenderedOverlays.Objects(RenderedOverlays.Gpu);
        var values = objects.OfType<V1ConfigMap>().SelectMany(c => c.Data.Values)
            .Concat(Manifests.Pods(objects).SelectMany(p => Manifests.AllContainers(p.Template.Spec)).SelectMany(c => c.Env ?? []).Select(e => e.Value).OfType<string>());

        Assert.Empty(objects.OfType<V1Secret>());
        Assert.All(values, v => Assert.False(Credential().IsMatch(v), $"'{v}' carries a credential."));
    }

    [Fact]
    public void No_committed_manifest_holds_a_credential_outside_the_local_overlays_throwaway_ones()
    {
        var files = Directory.EnumerateFiles(Repository.K8s, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetRelativePath(Repository.K8s, f) != LocalOverlay && Path.GetExtension(f) is ".yaml" or ".json" or ".conf");

        Assert.All(files, f => Assert.False(Credential().IsMatch(File.ReadAllText(f)), $"{f} holds a credential."));
        Assert.All(PasswordPlaceholders().Matches(File.ReadAllText(Path.Combine(Repository.K8s, "base/rabbitmq/definitions.json"))),
            m => Assert.Matches(@"^\$\{[A-Z_]+_PASSWORD\}$", m.Groups[1].Value));
    }

    [KubectlFact]
    public void The_local_overlays_secrets_hold_only_throwaway_passwords_and_azurites_public_key()
    {
        var values = RenderedOverlays.Objects(RenderedOverlays.LocalCpu).OfType<V1Secret>()
            .SelectMany(s => s.Data.Values).Select(v => Encoding.UTF8.GetString(v)).ToList();

        Assert.NotEmpty(values);
        Assert.All(values, v => Assert.True(v.StartsWith("local-dev-only", StringComparison.Ordinal)
            || v.Contains(":local-dev-only-", StringComparison.Ordinal) || v.Contains($"AccountKey={AzuriteKey};", StringComparison.Ordinal), v));
    }

    [Theory]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=prod;AccountKey=c2VjcmV0")]
    [InlineData("amqp://trainer:hunter2@rabbitmq:5672/")]
    [InlineData("https://acct.blob.core.windows.net/?sv=2024&sig=abc")]
    public void The_credential_pattern_catches_keys_passwords_and_signatures(string value) => Assert.Matches(Credential(), value);

    /// <summary>A storage key, a SAS signature, or a URI with a literal password (not a $(VARIABLE) reference).</summary>
    [GeneratedRegex(@"AccountKey=|SharedAccessSignature=|[?&]sig=|://[^:/\s""]+:(?!\$\()[^@/\s""]+@")]
    private static partial Regex Credential();

    [GeneratedRegex(@"""password"":\s*""([^""]*)""")]
    private static partial Regex PasswordPlaceholders();
}
