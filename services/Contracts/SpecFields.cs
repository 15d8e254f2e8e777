using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace CloudAssembly.Contracts;

/// <summary>
/// The members of a run spec's JSON (or a <c>SubmitRun</c>'s) that no setting has: a typo like <c>trainLimt</c> must
/// refuse the spec, not run it with the default. The names a spec may use come from the spec's own JSON contract, so a new setting needs no list.
/// </summary>
public static class SpecFields
{
    /// <summary>The first unknown member of the command or its spec, as one sentence; null when there is none.</summary>
    public static string? FirstUnknown(SubmitRun submit) =>
        submit.UnknownFields is { Count: > 0 } unknown
            ? $"unknown field `{unknown.Keys.First()}` in the SubmitRun; did you mean `{ClosestName.Among(unknown.Keys.First(), Settable(typeof(SubmitRun)))}`?"
            : submit.Spec is null ? null : FirstUnknown(submit.Spec);

    /// <summary>The first unknown member, as one sentence naming it and the closest known setting; null when there is none.</summary>
    public static string? FirstUnknown(RunSpec spec)
    {
        var recipes = new (string Name, PhaseRecipe? Recipe)[]
        {
            ("pretrain", spec.Pretrain), ("modules", spec.Modules), ("finetune", spec.Finetune), ("baseline", spec.Baseline),
        };
        return Unknown("", spec.UnknownFields, typeof(RunSpec))
               ?? recipes.Select(r => Unknown($"{r.Name}.", r.Recipe?.UnknownFields, typeof(PhaseRecipe))).FirstOrDefault(u => u is not null);
    }

    private static string? Unknown(string prefix, Dictionary<string, JsonElement>? members, Type type)
    {
        if (members is not { Count: > 0 })
            return null;
        var name = members.Keys.First();
        var closest = ClosestName.Among(name, Settable(type));
        return $"unknown field `{prefix}{name}` in the spec; did you mean `{prefix}{closest}`?";
    }

    /// <summary>The JSON names a spec may set (computed ones like numModules are written for people, never read).</summary>
    private static IEnumerable<string> Settable(Type type) =>
        JsonSerializerOptions.Web.GetTypeInfo(type).Properties.Where(p => p is { Set: not null, IsExtensionData: false }).Select(p => p.Name);
}
