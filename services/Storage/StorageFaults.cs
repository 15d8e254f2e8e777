using System.Net.Sockets;
using Azure;

namespace CloudAssembly.Storage;

/// <summary>Tells "storage could not be reached or failed on its side" (worth waiting out) from "this request was wrong".</summary>
public static class StorageFaults
{
    public static bool IsUnavailable(Exception e) => e switch
    {
        RequestFailedException r => r.Status is 0 or 408 or 429 or >= 500,
        AggregateException a => a.InnerExceptions.Count > 0 && a.InnerExceptions.All(IsUnavailable),
        BlobStoreException { InnerException: { } inner } => IsUnavailable(inner),
        HttpRequestException or IOException or SocketException or TimeoutException => true,
        _ => false,
    };
}
