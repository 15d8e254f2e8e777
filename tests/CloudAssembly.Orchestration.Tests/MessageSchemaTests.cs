using System.Text.Json;
using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Messaging;

namespace CloudAssembly.Orchestration.Tests;

/// <summary>docs/schemas holds exactly what the contracts generate: a contract changed without its schema fails here.</summary>
public class MessageSchemaTests
{
    private static string Folder
    {
        get
        {
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (!File.Exists(Path.Combine(root.FullName, "CloudAssembly.sln")))
                root = root.Parent!;
            return Path.Combine(root.FullName, "docs", "schemas");
        }
    }

    public static TheoryData<string> Messages => [.. MessageSchemas.Messages.Select(t => t.Name)];

    [Theory]
    [MemberData(nameof(Messages))]
    public void The_published_schema_is_the_one_the_contract_generates(string name)
    {
        var generated = MessageSchemas.Generate(MessageSchemas.Messages.Single(t => t.Name == name));
        var path = Path.Combine(Folder, $"{name}.schema.json");
        // After changing a contract on purpose: CLOUDASSEMBLY_UPDATE_SCHEMAS=1 dotnet test --filter MessageSchemaTests, then review the diff.
        if (Environment.GetEnvironmentVariable("CLOUDASSEMBLY_UPDATE_SCHEMAS") == "1")
            File.WriteAllText(path, generated);

        Assert.True(File.Exists(path), $"{path} is missing: generate it (see the comment above).");
        Assert.Equal(generated, File.ReadAllText(path));
    }

    [Fact]
    public void A_submission_schema_names_the_spec_fields_and_only_canonical_phase_names()
    {
        using var schema = JsonDocument.Parse(MessageSchemas.Generate(typeof(SubmitRun)));
        var spec = schema.RootElement.GetProperty("properties").GetProperty("spec").GetProperty("properties");

        Assert.Subset(spec.EnumerateObject().Select(p => p.Name).ToHashSet(), new HashSet<string> { "trainLimit", "depths", "pretrain", "dataPath" });
        using var failed = JsonDocument.Parse(MessageSchemas.Generate(typeof(PhaseFailed)));
        Assert.Equal("^(PT|MT_(0|[1-9][0-9]*)|FT|Eval|E2E)$", failed.RootElement.GetProperty("properties").GetProperty("phase").GetProperty("pattern").GetString());
    }
}
