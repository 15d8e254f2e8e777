using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;
using CloudAssembly.Contracts;

namespace CloudAssembly.Orchestration.Messaging;

/// <summary>
/// JSON Schemas of the messages a client outside .NET sends and follows (the <c>message</c> of MassTransit's envelope),
/// generated from the contracts themselves, so docs/schemas cannot drift from what the services read.
/// </summary>
public static class MessageSchemas
{
    /// <summary>What a client sends (commands) and what it may follow (events), by type name.</summary>
    public static IReadOnlyList<Type> Messages { get; } =
    [
        typeof(SubmitRun), typeof(CancelRun),
        typeof(RunRejected), typeof(RunCompleted), typeof(RunFailed), typeof(RunCancelled),
        typeof(DatasetReady), typeof(PhaseStarted), typeof(PhaseProgress), typeof(PhaseCompleted), typeof(PhaseFailed), typeof(PhasePreempted),
    ];

    /// <summary>The exchange MassTransit publishes a message type to (fanout, one per type).</summary>
    public static string Exchange(Type message) => $"{message.Namespace}:{message.Name}";

    /// <summary>The <c>messageType</c> URN the envelope names.</summary>
    public static string Urn(Type message) => $"urn:message:{Exchange(message)}";

    public static string Generate(Type message)
    {
        // Numbers as numbers (the Web defaults would also allow them quoted): what a client should send.
        var options = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, TypeInfoResolver = new DefaultJsonTypeInfoResolver() };
        var schema = options.GetJsonSchemaAsNode(message, new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = (context, node) => context.TypeInfo.Type == typeof(PhaseKey)
                ? new JsonObject
                {
                    ["type"] = "string",
                    ["pattern"] = "^(PT|MT_(0|[1-9][0-9]*)|FT|Eval|E2E)$",
                    ["description"] = "A phase: PT, MT_<i> (module i, from 0), FT, Eval or E2E, exactly so.",
                }
                : node,
        });
        var document = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = $"https://cloudassembly.dev/schemas/{message.Name}.schema.json",
            ["title"] = message.Name,
            ["description"] = $"The message of a MassTransit envelope with messageType [\"{Urn(message)}\"], on exchange '{Exchange(message)}'.",
        };
        foreach (var (key, value) in schema.AsObject().ToList())
            document[key] = value?.DeepClone();
        return document.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }
}
