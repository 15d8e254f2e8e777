using Aspire.Hosting.ApplicationModel;

namespace CloudAssembly.AppHost;

/// <summary>Azurite's blob service in the <c>mcr.microsoft.com/azure-storage/azurite</c> container.</summary>
public sealed class AzuriteContainerResource(string name) : ContainerResource(name), IResourceWithConnectionString
{
    public EndpointReference BlobEndpoint => new(this, AzuriteConnectionString.BlobEndpointName);

    public ReferenceExpression ConnectionStringExpression => AzuriteConnectionString.For(BlobEndpoint);
}
