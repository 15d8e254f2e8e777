namespace CloudAssembly.Deploy.Tests;

public sealed class SchemaValidationTests
{
    [KubectlTheory]
    [InlineData(RenderedOverlays.LocalCpu)]
    [InlineData(RenderedOverlays.Gpu)]
    public void Every_rendered_object_and_job_template_is_valid_against_the_kubernetes_keda_and_kueue_schemas(string overlay)
    {
        var yaml = Kustomize.Render(overlay);
        var objects = RenderedOverlays.Objects(overlay);
        var count = objects.Count + Manifests.JobTemplates(objects).Count();

        var (exitCode, output) = ManifestValidator.Validate(yaml);

        Assert.True(exitCode == 0, output);
        Assert.Contains($"{count} of {count} objects valid", output);
    }

    [KubectlFact]
    public void A_kueue_object_with_an_unknown_field_or_a_wrong_type_fails_validation()
    {
        var yaml = Kustomize.Render(RenderedOverlays.Gpu);
        var broken = yaml.Replace("nominalQuota: 4", "nominalQuota: four").Replace("clusterQueue: cloudassembly", "clusterQueue: cloudassembly\n  colour: red");

        var (exitCode, output) = ManifestValidator.Validate(broken);

        Assert.Equal(1, exitCode);
        Assert.Contains("ClusterQueue/cloudassembly: /spec/resourceGroups/0/flavors/0/resources/3/nominalQuota must match pattern", output);
        Assert.Contains("LocalQueue/cloudassembly: /spec must NOT have additional properties (colour)", output);
    }

    [KubectlFact]
    public void A_job_template_that_breaks_its_schema_fails_validation()
    {
        var yaml = Kustomize.Render(RenderedOverlays.Gpu);
        var broken = yaml.Replace("restartPolicy: Never", "restartPolicy: Sometimes");

        var (exitCode, output) = ManifestValidator.Validate(broken);

        Assert.Equal(1, exitCode);
        Assert.Contains("PodTemplate/trainer-job-template-", output);
        Assert.Contains("restartPolicy", output);
    }

    [KubectlFact]
    public void A_scaled_object_or_network_policy_that_breaks_its_schema_fails_validation()
    {
        var yaml = Kustomize.Render(RenderedOverlays.LocalCpu);
        var broken = yaml.Replace("minReplicaCount: 0", "minReplicaCount: none").Replace("protocol: UDP", "protocol: UPD");

        var (exitCode, output) = ManifestValidator.Validate(broken);

        Assert.Equal(1, exitCode);
        Assert.Contains("ScaledObject/trainer: data/spec/minReplicaCount must be integer", output);
        Assert.Contains("NetworkPolicy/dns:", output);
    }
}
