using CloudAssembly.TestSupport;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Operations;

namespace CloudAssembly.Training.Tests;

/// <summary>
/// Keeps TorchSharp <c>Scalar</c>s made on the fly out of the code that trains, evaluates and assembles (see
/// <see cref="CollectionStressTests"/> for why they fail: a collection during the native call frees them).
/// <para>How it works. The sources of each project in <see cref="GuardedProjects"/> are compiled with Roslyn against the
/// assemblies beside this test (the projects' own builds, TorchSharp, the framework), and every operation in them
/// (the semantic model's IOperation tree, so conversions the compiler inserts are seen) is checked:</para>
/// <list type="number">
/// <item>A Scalar made here, by one of <c>Scalar</c>'s implicit conversions (<c>x * 0.5</c>, <c>clamp(min: 0)</c>,
/// <c>full(n, 1.0)</c>) or by a call that returns a new Scalar (<c>ToScalar()</c>), must be kept alive by its owner:
/// the initializer of a field, an assignment to a field or property, or a <c>using</c> declaration. Anywhere else it
/// is an error.</item>
/// <item>A call, operator, constructor or property of TorchSharp that makes a Scalar inside itself is an error
/// wherever it is used (<c>a + b</c> and <c>a.add(b)</c> pass an implicit alpha of 1; write <c>a.add(b, One)</c>).
/// Which members do is read from TorchSharp's IL by <see cref="TorchSharpScalarMakers"/>, so a TorchSharp update is
/// checked too. For <c>module.call(x)</c> on a TorchSharp module, the module type's own <c>forward</c> is checked,
/// since <c>call</c> reaches it through a virtual call the IL walk does not follow.</item>
/// </list>
/// <para>Every offence is listed as <c>file:line: what</c>.</para>
/// </summary>
public class OnTheFlyScalarGuardTests
{
    /// <summary>The services projects that run tensors, each compiled on its own against the others' builds.</summary>
    private static readonly string[] GuardedProjects = ["Model", "Data", "Training", "Pipeline"];

    /// <summary>
    /// Errors that mean a name or call was not resolved, so the semantic model could miss a call. Others are expected:
    /// the guard does not run the source generators ([GeneratedRegex], [LibraryImport]), so their partial members have no
    /// bodies and flow analysis complains about them.
    /// </summary>
    private static readonly HashSet<string> UnresolvedNames = ["CS0103", "CS0117", "CS0234", "CS0246", "CS1061", "CS1501", "CS1503"];

    private static readonly CSharpParseOptions Parsing = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Preview);

    private static readonly Lazy<TorchSharpScalarMakers> Makers = new(() => new TorchSharpScalarMakers());

    [Fact]
    public void No_service_code_makes_a_TorchSharp_Scalar_on_the_fly()
    {
        var offences = GuardedProjects.SelectMany(p => Offences(Path.Combine(Repository.Root, "services", p), "CloudAssembly." + p)).ToList();
        Assert.True(offences.Count == 0, $"{offences.Count} on-the-fly Scalar(s):\n" + string.Join('\n', offences));
    }

    [Fact]
    public void The_guard_finds_implicit_conversions_and_members_that_convert_inside()
    {
        const string source = """
            using TorchSharp;
            using static TorchSharp.torch;
            public sealed class Sample : System.IDisposable
            {
                private static readonly Scalar Half = 0.5;
                private readonly Scalar kept;
                public Sample(double v) { kept = v; }
                public Tensor Fine(Tensor a, Tensor b, double v)
                {
                    using Scalar local = v;
                    return a.add(b, kept).mul(Half).mul_(local);
                }
                public Tensor Bad(Tensor a, Tensor b) => (a + b) * 0.5;
                public Tensor AlsoBad(Tensor a) => a.clamp(min: 0).add(a);
                public void Dispose() => kept.Dispose();
            }
            """;
        var offences = Offences(CSharpSyntaxTree.ParseText(source, Parsing, "Sample.cs"), "Sample").ToList();
        Assert.True(offences.Count == 4, string.Join('\n', offences));
        Assert.Contains(offences, o => o.StartsWith("Sample.cs:13:") && o.Contains("op_Addition"));
        Assert.Contains(offences, o => o.StartsWith("Sample.cs:13:") && o.Contains("op_Multiply(TorchSharp.torch.Tensor, double)"));
        Assert.Contains(offences, o => o.StartsWith("Sample.cs:14:") && o.Contains("converts int"));
        Assert.Contains(offences, o => o.StartsWith("Sample.cs:14:") && o.Contains("add(TorchSharp.torch.Tensor)"));
    }

    private static IEnumerable<string> Offences(string projectFolder, string assemblyName)
    {
        var trees = Directory.EnumerateFiles(projectFolder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), Parsing,
                Path.GetRelativePath(Repository.Root, f)))
            .ToList();
        Assert.NotEmpty(trees);
        return Offences(trees, assemblyName);
    }

    private static IEnumerable<string> Offences(SyntaxTree tree, string assemblyName) => Offences([tree], assemblyName);

    private static IEnumerable<string> Offences(IReadOnlyList<SyntaxTree> trees, string assemblyName)
    {
        var compilation = Compile(trees, assemblyName);
        var errors = compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error && UnresolvedNames.Contains(d.Id)).Take(5).ToList();
        Assert.True(errors.Count == 0, $"{assemblyName} does not compile for the guard:\n" + string.Join('\n', errors));
        var makers = Makers.Value;
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var tree in trees)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var node in tree.GetRoot().DescendantNodes())
            {
                var root = model.GetOperation(node);
                if (root is null || root.Parent is not null)
                    continue;
                foreach (var operation in root.DescendantsAndSelf())
                    if (Offence(operation, makers) is { } what)
                        found.Add($"{tree.FilePath}:{operation.Syntax.GetLocation().GetLineSpan().StartLinePosition.Line + 1}: {what}");
            }
        }
        return found;
    }

    private static CSharpCompilation Compile(IReadOnlyList<SyntaxTree> trees, string assemblyName)
    {
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var beside = Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll")
            .Where(f => Path.GetFileNameWithoutExtension(f) != assemblyName);
        var references = platform.Concat(beside)
            .GroupBy(Path.GetFileName).Select(g => g.First())
            .Where(IsManagedAssembly)
            .Select(f => MetadataReference.CreateFromFile(f));
        var implicitUsings = CSharpSyntaxTree.ParseText(
            "global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq; " +
            "global using System.Net.Http; global using System.Threading; global using System.Threading.Tasks;", Parsing);
        return CSharpCompilation.Create(assemblyName, [.. trees, implicitUsings], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));
    }

    private static bool IsManagedAssembly(string path)
    {
        try
        {
            System.Reflection.AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }

    private static string? Offence(IOperation operation, TorchSharpScalarMakers makers)
    {
        switch (operation)
        {
            case IConversionOperation { OperatorMethod: { } conversion } c when IsScalar(conversion.ReturnType) && IsTorchSharp(conversion, makers):
                return Kept(c) ? null : $"converts {c.Operand.Type} to a Scalar on the fly";
            case IInvocationOperation invocation:
                return Member(invocation.TargetMethod, invocation, makers) ?? ModuleForward(invocation, makers);
            case IBinaryOperation { OperatorMethod: { } method }:
                return Member(method, operation, makers);
            case IUnaryOperation { OperatorMethod: { } method }:
                return Member(method, operation, makers);
            case ICompoundAssignmentOperation { OperatorMethod: { } method }:
                return Member(method, operation, makers);
            case IObjectCreationOperation { Constructor: { } constructor }:
                return Member(constructor, operation, makers);
            case IPropertyReferenceOperation property:
                return Member(property.Property.GetMethod, operation, makers) ?? Member(property.Property.SetMethod, operation, makers);
            default:
                return null;
        }
    }

    /// <summary>A TorchSharp member that makes a Scalar: kept when it returns it to a keeper, an error otherwise.</summary>
    private static string? Member(IMethodSymbol? method, IOperation use, TorchSharpScalarMakers makers)
    {
        if (method is null || !IsTorchSharp(method, makers))
            return null;
        var definition = (method.ReducedFrom ?? method).OriginalDefinition;
        if (!makers.Makes(definition.MetadataToken))
            return null;
        if (IsScalar(method.ReturnType))
            return Kept(use) ? null : $"{Display(method)} makes a Scalar that nothing keeps";
        return $"{Display(method)} makes a Scalar inside itself";
    }

    private static string? ModuleForward(IInvocationOperation invocation, TorchSharpScalarMakers makers)
    {
        if (invocation.TargetMethod.Name != "call" || invocation.Instance?.Type is not INamedTypeSymbol receiver
            || receiver.ContainingAssembly?.Name != makers.AssemblyName)
            return null;
        var type = makers.FindType(MetadataName(receiver));
        var forward = type?.GetMethods().Where(m => m.Name == "forward" && m.DeclaringType == type).FirstOrDefault(m => makers.Makes(m.MetadataToken));
        return forward is null ? null : $"{receiver.Name}.forward makes a Scalar inside itself";
    }

    private static string MetadataName(INamedTypeSymbol type) =>
        type.ContainingType is { } outer ? MetadataName(outer) + "+" + type.MetadataName
        : type.ContainingNamespace.IsGlobalNamespace ? type.MetadataName
        : type.ContainingNamespace.ToDisplayString() + "." + type.MetadataName;

    /// <summary>Whether the Scalar this operation yields goes straight to an owner that keeps it alive.</summary>
    private static bool Kept(IOperation operation)
    {
        var parent = operation.Parent;
        while (parent is IConversionOperation or IParenthesizedOperation)
            parent = parent.Parent;
        return parent switch
        {
            IFieldInitializerOperation or IPropertyInitializerOperation => true,
            ISimpleAssignmentOperation { Target: IFieldReferenceOperation or IPropertyReferenceOperation } => true,
            IVariableInitializerOperation init => IsUsingDeclaration(init),
            _ => false,
        };
    }

    private static bool IsUsingDeclaration(IOperation initializer)
    {
        for (var p = initializer.Parent; p is not null; p = p.Parent)
        {
            if (p is IUsingDeclarationOperation or IUsingOperation)
                return true;
            if (p is not (IVariableDeclaratorOperation or IVariableDeclarationOperation or IVariableDeclarationGroupOperation))
                return false;
        }
        return false;
    }

    private static bool IsScalar(ITypeSymbol? type) => type is { Name: "Scalar", ContainingNamespace.Name: "TorchSharp" };

    private static bool IsTorchSharp(ISymbol symbol, TorchSharpScalarMakers makers) => symbol.ContainingAssembly?.Name == makers.AssemblyName;

    private static string Display(IMethodSymbol method) =>
        method.MethodKind == MethodKind.UserDefinedOperator ? $"{method.Name}({string.Join(", ", method.Parameters.Select(p => p.Type))})"
        : $"{method.ContainingType.Name}.{method.Name}({string.Join(", ", method.Parameters.Select(p => p.Type))})";
}
