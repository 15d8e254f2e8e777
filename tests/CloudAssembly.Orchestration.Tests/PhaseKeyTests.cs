using System.Text.Json;
using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Runs;

namespace CloudAssembly.Orchestration.Tests;

public class PhaseKeyTests
{
    [Fact]
    public void Phase_names_sort_in_the_order_the_method_runs_them_with_modules_by_number()
    {
        string[] names = ["E2E", "Eval", "MT_10", "FT", "MT_2", "PT", "MT_0"];

        Assert.Equal(["PT", "MT_0", "MT_2", "MT_10", "FT", "Eval", "E2E"], names.OrderBy(PhaseKey.Parse).Select(k => k.ToString()));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("2")]
    [InlineData("MT_01")]
    [InlineData("MT_+1")]
    [InlineData("MT_-1")]
    [InlineData("MT_ 1")]
    [InlineData("MT")]
    [InlineData("MT_")]
    [InlineData("pt")]
    [InlineData(" PT")]
    [InlineData("PT/../FT")]
    public void Only_the_canonical_name_is_a_phase_so_one_phase_never_has_two_blob_folders(string text)
    {
        Assert.False(PhaseKey.TryParse(text, out _));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<PhaseStarted>(
            $$"""{"runId":"r","phase":"{{text}}","attemptId":"r.PT.1","trainer":"t","at":"2026-01-01T00:00:00Z","attempt":1}""", RunJson.Options));
    }

    [Fact]
    public void A_phase_travels_as_its_text_in_messages_and_as_a_key_in_run_json()
    {
        var started = new PhaseStarted("r", PhaseKey.Module(3), "r.MT_3.1", "t", DateTimeOffset.UnixEpoch, 1);
        var json = JsonSerializer.Serialize(started, RunJson.Options);
        var run = new RunDocument { RunId = "r", Spec = RunSpec.FashionMnistDemo() }.WithPhase(PhaseKey.Module(3), new PhaseState { Attempt = 2 });
        var stored = JsonSerializer.Serialize(run, RunJson.Options);

        Assert.Contains("\"phase\": \"MT_3\"", json);
        Assert.Equal(started, JsonSerializer.Deserialize<PhaseStarted>(json, RunJson.Options));
        Assert.Contains("\"MT_3\": {", stored);
        Assert.Equal(2, JsonSerializer.Deserialize<RunDocument>(stored, RunJson.Options)!.Phase(PhaseKey.Module(3)).Attempt);
    }
}
