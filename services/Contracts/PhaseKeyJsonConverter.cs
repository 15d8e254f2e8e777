using System.Text.Json;
using System.Text.Json.Serialization;

namespace CloudAssembly.Contracts;

/// <summary>
/// A <see cref="PhaseKey"/> in JSON is its text (<c>"MT_2"</c>), as a value and as a dictionary key, so messages and
/// <c>run.json</c> read as before; text that is not a canonical phase name is refused where it is read.
/// </summary>
public sealed class PhaseKeyJsonConverter : JsonConverter<PhaseKey>
{
    public override PhaseKey Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Parse(reader.GetString());

    public override void Write(Utf8JsonWriter writer, PhaseKey value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());

    public override PhaseKey ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Parse(reader.GetString());

    public override void WriteAsPropertyName(Utf8JsonWriter writer, PhaseKey value, JsonSerializerOptions options) =>
        writer.WritePropertyName(value.ToString());

    private static PhaseKey Parse(string? text) =>
        PhaseKey.TryParse(text, out var key) ? key : throw new JsonException($"'{text}' is not a phase (PT, MT_<i>, FT, Eval, E2E).");
}
