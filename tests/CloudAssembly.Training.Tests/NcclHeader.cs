using System.Text.RegularExpressions;
using CloudAssembly.TestSupport;

namespace CloudAssembly.Training.Tests;

/// <summary>
/// The C declarations of NCCL's own <c>nccl.h</c> (the copy in <c>tests/reference/nccl/</c>, see its README), read well
/// enough to check bindings against: each function's result and argument types (without <c>const</c> and parameter
/// names, pointers written <c>T*</c>), each <c>typedef enum</c>'s members with literal values, and the unique-id size.
/// </summary>
public sealed partial class NcclHeader
{
    private NcclHeader(IReadOnlyDictionary<string, IReadOnlyList<Declaration>> functions,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> enums, int uniqueIdBytes)
    {
        Functions = functions;
        Enums = enums;
        UniqueIdBytes = uniqueIdBytes;
    }

    public static string Path => System.IO.Path.Combine(ReferenceFiles.Folder, "nccl", "nccl.h.in");

    /// <summary>Every declaration of each function (a header may declare one in several preprocessor branches).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<Declaration>> Functions { get; }

    /// <summary>Each <c>typedef enum</c> by its type name: member name to value.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> Enums { get; }

    public int UniqueIdBytes { get; }

    public sealed record Declaration(string Result, IReadOnlyList<string> Arguments);

    public static NcclHeader Read()
    {
        var text = Comment().Replace(File.ReadAllText(Path), " ");
        var functions = Function().Matches(text)
            .GroupBy(m => m.Groups["name"].Value)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<Declaration>)[.. g.Select(m => new Declaration(CType(m.Groups["result"].Value), Arguments(m.Groups["arguments"].Value)))]);
        var enums = Enumeration().Matches(text).ToDictionary(m => m.Groups["name"].Value,
            m => (IReadOnlyDictionary<string, long>)Member().Matches(m.Groups["body"].Value)
                .ToDictionary(e => e.Groups["member"].Value, e => long.Parse(e.Groups["value"].Value)));
        return new NcclHeader(functions, enums, int.Parse(UniqueIdSize().Match(text).Groups["bytes"].Value));
    }

    private static IReadOnlyList<string> Arguments(string list)
    {
        var trimmed = list.Trim();
        if (trimmed is "" or "void")
            return [];
        // "const void* sendbuff", "ncclComm_t *newcomm": drop the name, keep the type.
        return [.. trimmed.Split(',').Select(a => a.Trim()).Select(a => CType(Regex.IsMatch(a, @"\w[\s*]+\w") ? ParameterName().Replace(a, "") : a))];
    }

    private static string CType(string text) =>
        Regex.Replace(Regex.Replace(text, @"\bconst\b", ""), @"\s+", "").Trim();

    [GeneratedRegex(@"/\*.*?\*/|//[^\n]*", RegexOptions.Singleline)]
    private static partial Regex Comment();

    [GeneratedRegex(@"(?<![\w*])(?<result>(?:const\s+)?\w+\s*\**)\s*\b(?<name>nccl\w+)\s*\((?<arguments>[^()]*)\)\s*;")]
    private static partial Regex Function();

    [GeneratedRegex(@"typedef\s+enum\s*\{(?<body>[^}]*)\}\s*(?<name>\w+)\s*;")]
    private static partial Regex Enumeration();

    [GeneratedRegex(@"(?<member>nccl\w+)\s*=\s*(?<value>-?\d+)\s*(?=,|$)")]
    private static partial Regex Member();

    [GeneratedRegex(@"#define\s+NCCL_UNIQUE_ID_BYTES\s+(?<bytes>\d+)")]
    private static partial Regex UniqueIdSize();

    [GeneratedRegex(@"\w+$")]
    private static partial Regex ParameterName();
}
