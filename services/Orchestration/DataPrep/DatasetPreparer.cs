using CloudAssembly.Contracts;
using CloudAssembly.Data.Datasets;
using CloudAssembly.Orchestration.Telemetry;

namespace CloudAssembly.Orchestration.DataPrep;

/// <summary>
/// Makes the dataset a run trains on available to every trainer and answers with where to read it.
/// </summary>
public sealed class DatasetPreparer
{
    public Task<DatasetReady> PrepareAsync(PrepareDataset request, CancellationToken ct)
    {
        using var activity = CloudAssemblyTelemetry.StartRunActivity("prepare dataset", request.RunId, null);
        activity?.SetTag("cloudassembly.dataset", $"{request.Name}/{request.Version}");
        var (train, val) = DatasetCatalog.Open(request.DataSet, request.DataPath);
        ct.ThrowIfCancellationRequested();
        return Task.FromResult(new DatasetReady(request.RunId, new DatasetRef(request.DataSet, request.DataPath), train.Count, val.Count, Built: false));
    }
}
