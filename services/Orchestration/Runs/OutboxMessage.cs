using System.Text.Json;
using CloudAssembly.Contracts;

namespace CloudAssembly.Orchestration.Runs;

/// <summary>A message waiting in <c>run.json</c>'s outbox: its Contracts type name and its JSON, and an id to clear exactly it once sent.</summary>
public sealed record OutboxMessage(string Id, string Type, string Json)
{
    public static OutboxMessage From(object message) =>
        new(Guid.NewGuid().ToString("N"), message.GetType().Name, JsonSerializer.Serialize(message, message.GetType(), RunJson.Options));

    public object ToMessage()
    {
        var type = typeof(SubmitRun).Assembly.GetType($"{typeof(SubmitRun).Namespace}.{Type}")
            ?? throw new InvalidDataException($"Outbox message type '{Type}' is not a CloudAssembly message.");
        return JsonSerializer.Deserialize(Json, type, RunJson.Options) ?? throw new InvalidDataException($"Outbox message {Id} is empty.");
    }
}
