using Aspire.Hosting.ApplicationModel;

namespace CloudAssembly.AppHost;

/// <summary>
/// An Azure Storage connection string for Azurite's blob endpoint. The account and key are Azurite's fixed,
/// publicly documented development account, not a secret.
/// </summary>
public static class AzuriteConnectionString
{
    public const string BlobEndpointName = "blob";

    public static ReferenceExpression For(EndpointReference blob) => ReferenceExpression.Create(
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
        $"AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
        $"BlobEndpoint=http://{blob.Property(EndpointProperty.IPV4Host)}:{blob.Property(EndpointProperty.Port)}/devstoreaccount1;");
}
