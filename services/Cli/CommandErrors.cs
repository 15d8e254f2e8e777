using CloudAssembly.Data.Images;
using CloudAssembly.Model;
using CloudAssembly.Storage;
using CloudAssembly.Training.Distributed;
using CloudAssembly.Training.Engine;

namespace CloudAssembly.Cli;

/// <summary>
/// Runs a command body and turns what a user can cause (a wrong flag, a missing path, a checkpoint of another model,
/// a diverging loss) into one line on stderr and exit code 2, without a stack trace. Ctrl+C stops at the next step.
/// </summary>
public static class CommandErrors
{
    public const int UserError = 2;
    public const int Cancelled = 130;

    public static int Run(Func<CancellationToken, int> body)
    {
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };
        try
        {
            return body(cancellation.Token);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            Console.Error.WriteLine("cancelled: the last epoch checkpoint is kept; run the same command again to resume.");
            return Cancelled;
        }
        catch (Exception e) when (e is ArgumentException or CheckpointMismatchException or FileNotFoundException
                                      or DirectoryNotFoundException or InvalidDataException or NotSupportedException
                                      or NonFiniteLossException or CorruptImageException or InvalidOperationException
                                      or BlobStoreException or DllNotFoundException or TimeoutException
                                      or ReplicaDriftException or RankFailedException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return UserError;
        }
    }
}
