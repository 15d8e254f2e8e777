namespace CloudAssembly.Deploy.Tests;

public sealed class SchemaValidationTests
{
    [KubectlTheory]
    [InlineData(RenderedOverlays.LocalCpu)]
    [InlineData(RenderedOverlays.Gpu)]
    public void Every_rendered_object_is_valid_against_the_kubernetes_and_keda_schemas(string overlay)
    {
        var yaml = Kustomize.Render(overlay);

        var (exitCode, output) = ManifestValidator.Validate(yaml);

        Assert.True(exitCode == 0, output);
        Assert.Contains($"{RenderedOverlays.Objects(overlay).Count} of {RenderedOverlays.Objects(overlay).Count} objects valid", output);
    }

    [KubectlFact]
    public void A_scaled_object_or_network_policy_that_breaks_its_schema_fails_validation()
    {
        var yaml = Kustomize.Render(RenderedOverlays.Gpu);
        var broken = yaml.Replace("minReplicaCount: 0", "minReplicaCount: none").Replace("protocol: UDP", "protocol: UPD");

        var (exitCode, output) = ManifestValidator.Validate(broken);

        Assert.Equal(1, exitCode);
        Assert.Contains("ScaledObject/trainer: data/spec/minReplicaCount must be integer", output);
        Assert.Contains("NetworkPolicy/dns:", output);
    }
}
