using System.Text.Json;

namespace CloudAssembly.AppHost.Tests;

/// <summary>One span of a trace as the Aspire dashboard's telemetry API returns it (OTLP JSON): ids, name, status and links.</summary>
public sealed record DashboardSpan(string SpanId, string ParentSpanId, string Name, bool IsError, IReadOnlyList<string> Links);

/// <summary>
/// A trace as the user's dashboard holds it, read from its telemetry API (<c>/api/telemetry/traces/{id}</c>, what
/// <c>aspire otel traces --trace-id</c> reads): the spans every service exported to it, whatever process sent them.
/// </summary>
public static class DashboardTrace
{
    public static async Task<IReadOnlyList<DashboardSpan>> ReadAsync(HttpClient http, string dashboard, string traceId, CancellationToken ct)
    {
        using var response = await http.GetAsync($"{dashboard}/api/telemetry/traces/{traceId}", ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"The dashboard's telemetry API answered {(int)response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        var spans = new List<DashboardSpan>();
        Collect(json.RootElement, spans);
        return spans;
    }

    /// <summary>Every object with a span id and a name, wherever the answer nests it (resource, scope, span).</summary>
    private static void Collect(JsonElement element, List<DashboardSpan> spans)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object when element.TryGetProperty("spanId", out var id) && element.TryGetProperty("name", out var name):
                spans.Add(new DashboardSpan(id.GetString()!, Text(element, "parentSpanId"), name.GetString()!, IsError(element),
                    element.TryGetProperty("links", out var links) && links.ValueKind == JsonValueKind.Array
                        ? [.. links.EnumerateArray().Select(l => Text(l, "spanId"))]
                        : []));
                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                    Collect(property.Value, spans);
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                    Collect(item, spans);
                break;
        }
    }

    private static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    private static bool IsError(JsonElement span) =>
        span.TryGetProperty("status", out var status) && status.TryGetProperty("code", out var code)
        && (code.ValueKind == JsonValueKind.Number ? code.GetInt32() == 2 : code.GetString() is "STATUS_CODE_ERROR" or "Error");
}
