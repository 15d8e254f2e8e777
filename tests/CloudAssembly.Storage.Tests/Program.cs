using System.Text;
using CloudAssembly.Storage;

namespace CloudAssembly.Storage.Tests;

/// <summary>
/// Entry point for the writer processes that <see cref="FolderBlobStoreCrossProcessTests"/> starts. Each prints "ready",
/// waits for a line on standard input so that all of them start writing together, then does its part.
/// </summary>
public static class Program
{
    public const int Won = 0;
    public const int LostCreateRace = 3;

    public static async Task<int> Main(string[] args)
    {
        if (args is not [var command, var root, var blob, var argument])
        {
            Console.Error.WriteLine("usage: increment|create ROOT BLOB TIMES|CONTENT");
            return 2;
        }
        var store = new FolderBlobStore(root);
        Console.WriteLine("ready");
        Console.In.ReadLine();
        switch (command)
        {
            case "increment":
                Console.WriteLine($"conflicts {await CasCounter.IncrementAsync(store, blob, int.Parse(argument))}");
                return Won;
            case "create":
                try
                {
                    await store.PutIfAbsentAsync(blob, new MemoryStream(Encoding.UTF8.GetBytes(argument)));
                    return Won;
                }
                catch (BlobAlreadyExistsException)
                {
                    return LostCreateRace;
                }
            default:
                Console.Error.WriteLine($"unknown command {command}");
                return 2;
        }
    }
}
