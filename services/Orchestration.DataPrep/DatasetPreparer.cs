using CloudAssembly.Contracts;
using CloudAssembly.Data.Datasets;
using CloudAssembly.Data.Shards;
using CloudAssembly.Orchestration.Messaging;
using CloudAssembly.Orchestration.Telemetry;
using Microsoft.Extensions.Logging;

namespace CloudAssembly.Orchestration.DataPrep;

/// <summary>
/// Makes the dataset version a run trains on exist in the cluster's blob storage: builds it as shards from the source
/// (image folders or IDX files this service can read) unless it is already committed, and answers with where trainers
/// read it (<c>--data-set SHARDS</c>). A run that already names a SHARDS version is answered at once.
/// </summary>
public sealed class DatasetPreparer(BlobLocation blobs, ILogger<DatasetPreparer> log)
{
    public async Task<DatasetReady> PrepareAsync(PrepareDataset request, string? traceParent, CancellationToken ct)
    {
        using var activity = CloudAssemblyTelemetry.StartRunActivity("prepare dataset", request.RunId, traceParent);
        activity?.SetTag("cloudassembly.dataset", $"{request.Name}/{request.Version}");
        if (DatasetCatalog.IsShards(request.DataSet))
        {
            var location = DatasetLocation.Parse(request.DataPath);
            var existing = await DatasetIndex.LoadAsync(location.OpenStore(), location.Name, location.Version, ct);
            return Ready(request, new DatasetRef(request.DataSet, request.DataPath), existing, built: false);
        }
        var kind = request.DataSet.Equals("IMNET", StringComparison.OrdinalIgnoreCase) ? "FOLDER" : request.DataSet.ToUpperInvariant();
        var source = DatasetSource.Open(request.DataPath, kind);
        var report = await DatasetBuilder.BuildAsync(source, blobs.Open(), request.Name, request.Version, new ShardOptions(), cancellationToken: ct);
        log.LogInformation("Dataset {Name}/{Version} {How}: {Samples} samples in {Shards} shards", request.Name, request.Version,
            report.AlreadyExisted ? "already existed" : $"built in {report.Elapsed.TotalSeconds:F1} s", report.Index.Shards.Sum(s => s.Samples),
            report.Index.Shards.Count);
        var dataPath = DatasetLocation.Format(blobs.Folder, blobs.Container, request.Name, request.Version);
        return Ready(request, new DatasetRef(DatasetCatalog.Shards, dataPath, request.Name, request.Version), report.Index, built: !report.AlreadyExisted);
    }

    private static DatasetReady Ready(PrepareDataset request, DatasetRef dataset, DatasetIndex index, bool built) =>
        new(request.RunId, dataset, index.Shards.Where(s => s.Split == "train").Sum(s => s.Samples),
            index.Shards.Where(s => s.Split == "val").Sum(s => s.Samples), built);
}
