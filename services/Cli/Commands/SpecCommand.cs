using System.CommandLine;
using CloudAssembly.Contracts;

namespace CloudAssembly.Cli.Commands;

/// <summary>
/// <c>cloudassembly spec init</c> writes a commented example run spec (the Fashion-MNIST demo) to start from;
/// <c>spec check FILE</c> checks one as <c>submit</c> and <c>run</c> do before they send it (the Assembler checks it
/// again, with where its data may come from).
/// </summary>
public static class SpecCommand
{
    public static Command Create()
    {
        var output = new Option<FileInfo?>("--out") { Description = "The file to write (default: print it)." };
        var force = new Option<bool>("--force") { Description = "Overwrite the file if it exists." };
        var init = new Command("init", "Write a commented example run spec (the Fashion-MNIST demo) to edit and submit.") { output, force };
        init.SetAction(parse => CommandErrors.Run(_ =>
        {
            var text = RunSpecFile.Commented(RunSpec.FashionMnistDemo());
            if (parse.GetValue(output) is not { } file)
            {
                Console.Write(text);
                return 0;
            }
            if (file.Exists && !parse.GetValue(force))
                throw new ArgumentException($"'{file.FullName}' already exists: choose another --out, or add --force to overwrite it.");
            File.WriteAllText(file.FullName, text);
            Console.WriteLine($"wrote {file.FullName}: edit it, then `cloudassembly submit --spec {file.Name} --watch`");
            return 0;
        }));
        var file = new Argument<FileInfo>("FILE") { Description = "The run spec to check." };
        var check = new Command("check", "Check a run spec as submit does: unknown fields (with the closest known name), ranges, the model.") { file };
        check.SetAction(parse => CommandErrors.Run(_ =>
        {
            var spec = RunSpecFile.Load(parse.GetValue(file));
            Console.WriteLine($"{parse.GetValue(file)!.FullName}: a valid run spec ({spec.Model}, {spec.NumModules} modules [{string.Join(' ', spec.Depths)}], " +
                $"{spec.DataSet} from {spec.DataPath}); the Assembler also checks that its data may be read from there.");
            return 0;
        }));
        return new Command("spec", "Run specs: the JSON a run is described by.") { init, check };
    }
}
