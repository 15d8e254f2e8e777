using System.Reflection;
using System.Runtime.CompilerServices;
using CloudAssembly.Training.Distributed;

namespace CloudAssembly.Training.Tests;

/// <summary>
/// NCCL has never run on these machines (no GPU), so a wrong P/Invoke signature would first show on a GPU cluster as a
/// crash or silent garbage. Every function <see cref="NcclLibrary"/> binds (a function-pointer field named as the C
/// function) is checked here against NCCL's own <c>nccl.h</c>: declared there, same number of arguments, each argument
/// and the result of the matching type, and every enum value we send or read equal to the header's.
/// </summary>
public class NcclHeaderTests
{
    private static readonly NcclHeader Header = NcclHeader.Read();

    private static IReadOnlyList<FieldInfo> Bindings() =>
        [.. typeof(NcclLibrary).GetFields(BindingFlags.Instance | BindingFlags.NonPublic).Where(f => f.FieldType.IsFunctionPointer)];

    [Fact]
    public void Every_bound_nccl_function_is_declared_in_nccl_h_with_the_same_arguments_and_result()
    {
        var bindings = Bindings();
        var nccl = bindings.Where(f => f.Name.StartsWith("nccl", StringComparison.Ordinal)).ToList();
        // The CUDA runtime's functions are not in nccl.h; anything else must be named as the NCCL function it holds.
        Assert.All(bindings.Except(nccl), f => Assert.StartsWith("cuda", f.Name, StringComparison.Ordinal));
        Assert.Contains("ncclAllReduce", nccl.Select(f => f.Name));

        var wrong = nccl.SelectMany(Mismatches).ToList();

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public void A_blocked_collective_can_be_aborted_and_its_error_read_through_the_bindings()
    {
        var names = Bindings().Select(f => f.Name).ToList();

        Assert.Contains("ncclCommAbort", names);
        Assert.Contains("ncclCommGetAsyncError", names);
    }

    [Theory]
    [InlineData(typeof(NcclResult), "ncclResult_t")]
    [InlineData(typeof(NcclDataType), "ncclDataType_t")]
    [InlineData(typeof(NcclRedOp), "ncclRedOp_t")]
    public void Enum_values_exchanged_with_nccl_are_those_of_nccl_h(Type ours, string theirs)
    {
        var header = Header.Enums[theirs];

        // C enums are int-sized; a wider or narrower C# enum would shift every argument after it.
        Assert.Equal(typeof(int), Enum.GetUnderlyingType(ours));
        foreach (var name in Enum.GetNames(ours))
        {
            Assert.True(header.TryGetValue("nccl" + name, out var value), $"{theirs} has no member nccl{name}.");
            Assert.True(value == Convert.ToInt64(Enum.Parse(ours, name)), $"{ours.Name}.{name} is {Convert.ToInt64(Enum.Parse(ours, name))}; nccl.h says nccl{name} = {value}.");
        }
    }

    [Fact]
    public void The_unique_id_passed_by_value_is_nccl_h_s_size()
    {
        var id = typeof(NcclLibrary).Assembly.GetType("CloudAssembly.Training.Distributed.NcclUniqueId")!;

        Assert.Equal(NcclLibrary.UniqueIdBytes, Header.UniqueIdBytes);
        Assert.Equal(Header.UniqueIdBytes, SizeOf(id));
    }

    private static IEnumerable<string> Mismatches(FieldInfo binding)
    {
        if (!Header.Functions.TryGetValue(binding.Name, out var declarations))
        {
            yield return $"{binding.Name}: not declared in nccl.h.";
            yield break;
        }
        var type = binding.FieldType;
        if (!type.IsUnmanagedFunctionPointer)
            yield return $"{binding.Name}: bound as a managed function pointer; C functions need delegate* unmanaged.";
        var arguments = type.GetFunctionPointerParameterTypes();
        var result = type.GetFunctionPointerReturnType();
        foreach (var c in declarations)
        {
            if (!Maps(c.Result, result))
                yield return $"{binding.Name}: returns {c.Result} in nccl.h, bound as {result}.";
            if (c.Arguments.Count != arguments.Length)
            {
                yield return $"{binding.Name}: takes {c.Arguments.Count} arguments in nccl.h ({string.Join(", ", c.Arguments)}), bound with {arguments.Length}.";
                continue;
            }
            for (var i = 0; i < arguments.Length; i++)
                if (!Maps(c.Arguments[i], arguments[i]))
                    yield return $"{binding.Name}: argument {i + 1} is {c.Arguments[i]} in nccl.h, bound as {arguments[i]}.";
        }
    }

    /// <summary>Whether a C type (without const) is passed and returned as the .NET type is on x86-64 and arm64 Linux.</summary>
    private static bool Maps(string c, Type net) => c switch
    {
        "int" => net == typeof(int),
        "size_t" => net == typeof(nuint),
        "ncclResult_t" => net == typeof(NcclResult),
        "ncclDataType_t" => net == typeof(NcclDataType),
        "ncclRedOp_t" => net == typeof(NcclRedOp),
        // Opaque handles and untyped memory: pointer-sized.
        "ncclComm_t" or "cudaStream_t" or "void*" => net == typeof(IntPtr) || net == typeof(void*),
        "char*" => net == typeof(IntPtr) || net == typeof(byte*),
        "ncclUniqueId" => net.Name == "NcclUniqueId" && net.IsValueType && SizeOf(net) == Header.UniqueIdBytes,
        _ when c.EndsWith('*') => net.IsPointer && Maps(c[..^1], net.GetElementType()!),
        _ => false,
    };

    private static int SizeOf(Type type) =>
        (int)typeof(Unsafe).GetMethod(nameof(Unsafe.SizeOf))!.MakeGenericMethod(type).Invoke(null, null)!;
}
