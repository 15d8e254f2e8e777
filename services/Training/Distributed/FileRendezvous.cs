namespace CloudAssembly.Training.Distributed;

/// <summary>
/// Where the processes of one attempt meet: the process holding rank 0 publishes a payload (NCCL's unique id) as
/// <c>payload</c>, every process announces its ranks as <c>rank-{r}</c>, and all proceed once W ranks have joined,
/// or fail after the timeout naming the ranks that never came. The folder belongs to one attempt: a later attempt
/// uses a fresh one, so a rank left over from an earlier attempt cannot join it.
/// </summary>
public sealed class FileRendezvous(string folder, int worldSize, TimeSpan timeout)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    public byte[] Join(int firstRank, int localRanks, Func<byte[]> makePayload)
    {
        if (firstRank < 0 || firstRank + localRanks > worldSize)
            throw new ArgumentException($"Ranks {firstRank}..{firstRank + localRanks - 1} do not fit in --world_size {worldSize}.");
        Directory.CreateDirectory(folder);
        var payloadPath = Path.Combine(folder, "payload");
        if (firstRank == 0)
            Publish(payloadPath, makePayload());
        for (var r = firstRank; r < firstRank + localRanks; r++)
            Publish(Path.Combine(folder, $"rank-{r}"), [], exclusive: true);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var missing = Enumerable.Range(0, worldSize).Where(r => !File.Exists(Path.Combine(folder, $"rank-{r}"))).ToArray();
            if (missing.Length == 0 && File.Exists(payloadPath))
                return File.ReadAllBytes(payloadPath);
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException(
                    $"Rendezvous '{folder}' did not fill within {timeout.TotalSeconds:F0} s: rank(s) {string.Join(", ", missing)} of {worldSize} never joined" +
                    (File.Exists(payloadPath) ? "." : " and rank 0 published nothing.") + " Start every rank, or raise --rendezvous-timeout.");
            Thread.Sleep(Poll);
        }
    }

    private static void Publish(string path, byte[] content, bool exclusive = false)
    {
        if (exclusive && File.Exists(path))
            throw new InvalidOperationException($"'{path}' already exists: another process claimed this rank in this rendezvous; every rank joins once.");
        var temp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.partial";
        File.WriteAllBytes(temp, content);
        File.Move(temp, path, overwrite: !exclusive);
    }
}
