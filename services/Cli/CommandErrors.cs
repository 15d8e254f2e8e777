using System.Runtime.InteropServices;
using CloudAssembly.Data.Images;
using CloudAssembly.Model;
using CloudAssembly.Storage;
using CloudAssembly.Training.Distributed;
using CloudAssembly.Training.Engine;

namespace CloudAssembly.Cli;

/// <summary>
/// Runs a command body and turns what a user can cause (a wrong flag, a missing path, a checkpoint of another model,
/// a diverging loss) into one line on stderr and exit code 2, without a stack trace. Ctrl+C and SIGTERM cancel the
/// body; it gets the <see cref="Interruption"/>'s grace to finish, then the command says what became of the work and
/// exits with 130 whether the body has returned or not.
/// </summary>
public static class CommandErrors
{
    public const int UserError = 2;

    /// <summary><c>submit</c>: the Assembler refused the run (the reason is printed).</summary>
    public const int Refused = 3;

    /// <summary><c>submit</c>: a run with this id and this spec exists already; nothing new was submitted.</summary>
    public const int AlreadyExists = 4;

    /// <summary><c>submit</c>: the Assembler did not answer in time; the run waits in the broker.</summary>
    public const int NoAnswer = 5;

    public const int Cancelled = 130;

    public static int Run(Func<CancellationToken, int> body) =>
        Run(ct => Task.FromResult(body(ct)), Interruption.KeepsCheckpoints);

    public static int Run(Func<CancellationToken, Task<int>> body, Interruption interruption)
    {
        using var cancellation = new CancellationTokenSource();
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            cancellation.Cancel();
        }
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        var work = Task.Run(() => body(cancellation.Token));
        try
        {
            Task.WaitAny([work], cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            Task.WaitAny([work], interruption.Grace);
        }
        if (cancellation.IsCancellationRequested && (!work.IsCompleted || work.IsCanceled || work.Exception?.InnerException is OperationCanceledException))
        {
            Console.Error.WriteLine(interruption.Message);
            return Cancelled;
        }
        try
        {
            return work.GetAwaiter().GetResult();
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
