using System.Diagnostics;
using OpenTelemetry;

namespace CloudAssembly.ServiceDefaults;

/// <summary>
/// Blob storage answers 404 (not there yet), 409 (create-only lost the race) and 412 (compare-and-swap lost) as part of
/// how runs commit: expected outcomes, so their spans are not errors and a successful run shows no red.
/// </summary>
public sealed class ExpectedStorageAnswers : BaseProcessor<Activity>
{
    private static readonly HashSet<string> Expected = ["404", "409", "412", "BlobNotFound", "BlobAlreadyExists", "ConditionNotMet", "ContainerAlreadyExists"];

    public override void OnEnd(Activity activity)
    {
        if (activity.Status != ActivityStatusCode.Error)
            return;
        var answer = activity.GetTagItem("http.response.status_code")?.ToString() ?? activity.GetTagItem("error.type")?.ToString();
        if (answer is not null && Expected.Contains(answer))
            activity.SetStatus(ActivityStatusCode.Unset);
    }
}
