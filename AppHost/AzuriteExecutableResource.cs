using Aspire.Hosting.ApplicationModel;

namespace CloudAssembly.AppHost;

/// <summary>The locally installed <c>azurite-blob</c> (npm), blob service only.</summary>
public sealed class AzuriteExecutableResource(string name, string command, string workingDirectory)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public EndpointReference BlobEndpoint => new(this, AzuriteConnectionString.BlobEndpointName);

    public ReferenceExpression ConnectionStringExpression => AzuriteConnectionString.For(BlobEndpoint);
}
