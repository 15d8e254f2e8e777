using System.CommandLine;
using CloudAssembly.Cli;

namespace CloudAssembly.Services.Tests;

/// <summary>Every command's <c>--store</c> is the one shared definition, so each resolves a store the same way.</summary>
public class CliStoreOptionTests
{
    private static IEnumerable<(string[] Path, Command Command)> Commands(Command command, string[] path)
    {
        yield return (path, command);
        foreach (var sub in command.Subcommands)
            foreach (var found in Commands(sub, [.. path, sub.Name]))
                yield return found;
    }

    private static readonly List<(string[] Path, Option Store)> WithStore =
        [.. Commands(CliCommands.Root(), []).SelectMany(c => c.Command.Options.Where(o => o.Name == "--store" || o.Aliases.Contains("--store")).Select(o => (c.Path, o)))];

    [Fact]
    public void Every_store_option_is_a_shared_definition_and_parses_the_same_value()
    {
        Assert.True(WithStore.Count >= 11, $"only {WithStore.Count} commands with --store found");
        foreach (var (path, store) in WithStore)
        {
            var name = string.Join(' ', path);
            Assert.True(store == StoreOptions.Store || store == StoreOptions.RunStore || store == StoreOptions.Stores,
                $"'{name}' defines its own --store instead of StoreOptions'");
            var parse = CliCommands.Root().Parse([.. path, "--store", "/data/blobs"]);
            var given = store is Option<string[]> many ? parse.GetValue(many)!.Single() : parse.GetValue((Option<string?>)store);
            Assert.Equal("/data/blobs", StoreOptions.Resolve(given));
        }
    }

    [Fact]
    public void Without_store_every_command_falls_back_to_CLOUDASSEMBLY_STORE_and_only_run_has_a_default()
    {
        var saved = Environment.GetEnvironmentVariable(StoreOptions.Variable);
        try
        {
            Environment.SetEnvironmentVariable(StoreOptions.Variable, "UseDevelopmentStorage=true");
            Assert.Equal("UseDevelopmentStorage=true", StoreOptions.Resolve(null));
            Assert.Equal("UseDevelopmentStorage=true", StoreOptions.Resolve(null, fallback: "."));
            Assert.Equal(["UseDevelopmentStorage=true"], StoreOptions.ResolveAll([]));
            Assert.Equal("/given", StoreOptions.Resolve("/given"));

            Environment.SetEnvironmentVariable(StoreOptions.Variable, null);
            Assert.Equal(".", StoreOptions.Resolve(null, fallback: "."));
            var error = Assert.Throws<ArgumentException>(() => StoreOptions.Resolve(null));
            Assert.Equal("Blob storage is not given: pass --store (an Azure Storage connection string, an https:// account URL, " +
                "UseDevelopmentStorage=true (Azurite) or a folder) or set CLOUDASSEMBLY_STORE (the AppHost prints the line to paste).", error.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable(StoreOptions.Variable, saved);
        }
    }

    [Fact]
    public void Run_keeps_output_dir_as_another_spelling_of_its_store()
    {
        var parse = CliCommands.Root().Parse(["run", "--output_dir", "/tmp/out"]);
        Assert.Equal("/tmp/out", parse.GetValue(StoreOptions.RunStore));
    }
}
