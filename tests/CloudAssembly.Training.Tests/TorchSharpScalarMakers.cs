using System.Reflection;
using System.Reflection.Emit;
using TorchSharp;

namespace CloudAssembly.Training.Tests;

/// <summary>
/// The TorchSharp members that make a <see cref="Scalar"/> inside themselves, found in TorchSharp's own IL: a member
/// makes one if its body calls one of <see cref="Scalar"/>'s implicit conversions or a <c>ToScalar</c> extension, or
/// names (call, callvirt, newobj, ldftn) another TorchSharp member that does. That is how <c>a + b</c> is found:
/// <c>operator +(Tensor, Tensor)</c> calls <c>add(Tensor)</c>, which calls <c>add(Tensor, Scalar)</c> with an
/// implicitly converted <c>1</c>. Members are keyed by metadata token, which Roslyn's symbols for TorchSharp carry too.
/// </summary>
public sealed class TorchSharpScalarMakers
{
    private static readonly OpCode[] OneByte = new OpCode[256];
    private static readonly OpCode[] TwoByte = new OpCode[256];

    private readonly Module module = typeof(Scalar).Module;
    private readonly HashSet<int> makers = [];

    static TorchSharpScalarMakers()
    {
        foreach (var field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var code = (OpCode)field.GetValue(null)!;
            var value = (ushort)code.Value;
            if (value < 0x100)
                OneByte[value] = code;
            else if ((value & 0xFF00) == 0xFE00)
                TwoByte[value & 0xFF] = code;
        }
    }

    public TorchSharpScalarMakers()
    {
        var callers = new Dictionary<int, List<int>>();
        var pending = new Queue<int>();
        foreach (var method in AllMethods())
        {
            foreach (var callee in Callees(method))
            {
                if (IsScalarFactory(callee) && makers.Add(method.MetadataToken))
                    pending.Enqueue(method.MetadataToken);
                if (callee.Module == module)
                {
                    if (!callers.TryGetValue(callee.MetadataToken, out var list))
                        callers[callee.MetadataToken] = list = [];
                    list.Add(method.MetadataToken);
                }
            }
        }
        while (pending.TryDequeue(out var maker))
            foreach (var caller in callers.GetValueOrDefault(maker) ?? [])
                if (makers.Add(caller))
                    pending.Enqueue(caller);
    }

    /// <summary>The TorchSharp assembly's name, to tell its symbols from others.</summary>
    public string AssemblyName => module.Assembly.GetName().Name!;

    /// <summary>Whether the TorchSharp member with this metadata token makes a Scalar inside itself.</summary>
    public bool Makes(int metadataToken) => makers.Contains(metadataToken);

    /// <summary>The TorchSharp type of this full metadata name, or null.</summary>
    public Type? FindType(string metadataName) => module.Assembly.GetType(metadataName);

    private static bool IsScalarFactory(MethodBase method) =>
        (method.DeclaringType == typeof(Scalar) && method.Name == "op_Implicit")
        || (method.Name == "ToScalar" && method is MethodInfo { ReturnType: var r } && r == typeof(Scalar));

    private IEnumerable<MethodBase> AllMethods()
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        Type[] types;
        try
        {
            types = module.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            types = [.. e.Types.OfType<Type>()];
        }
        foreach (var type in types)
        {
            foreach (var m in type.GetMethods(all))
                yield return m;
            foreach (var c in type.GetConstructors(all))
                yield return c;
        }
    }

    private IEnumerable<MethodBase> Callees(MethodBase method)
    {
        byte[]? il;
        try
        {
            il = method.GetMethodBody()?.GetILAsByteArray();
        }
        catch (Exception e) when (e is BadImageFormatException or InvalidOperationException or NotSupportedException)
        {
            yield break;
        }
        if (il is null)
            yield break;
        var typeArguments = method.DeclaringType is { IsGenericType: true } t ? t.GetGenericArguments() : null;
        var methodArguments = method is MethodInfo { IsGenericMethod: true } mi ? mi.GetGenericArguments() : null;
        for (var i = 0; i < il.Length;)
        {
            var b = il[i++];
            var code = b == 0xFE ? TwoByte[il[i++]] : OneByte[b];
            if (code.OperandType == OperandType.InlineMethod)
            {
                var callee = Resolve(BitConverter.ToInt32(il, i), typeArguments, methodArguments);
                if (callee is not null)
                    yield return callee;
            }
            i += OperandSize(code.OperandType, il, i);
        }
    }

    private MethodBase? Resolve(int token, Type[]? typeArguments, Type[]? methodArguments)
    {
        try
        {
            return module.ResolveMethod(token, typeArguments, methodArguments);
        }
        catch (Exception e) when (e is ArgumentException or BadImageFormatException or TypeLoadException or FileNotFoundException)
        {
            return null;
        }
    }

    private static int OperandSize(OperandType type, byte[] il, int at) => type switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, at),
        _ => 4,
    };
}
