using Aspire.Hosting.ApplicationModel;

namespace CloudAssembly.AppHost;

/// <summary>The locally installed <c>rabbitmq-server</c>, run in the foreground as its own node.</summary>
public sealed class LocalRabbitMQResource(string name, string command, string workingDirectory)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public const string AmqpEndpointName = "tcp";
    public const string ManagementEndpointName = "management";

    public EndpointReference AmqpEndpoint => new(this, AmqpEndpointName);

    /// <summary>The node seeds <c>guest</c>, which RabbitMQ accepts from loopback only; the node listens on loopback only.</summary>
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"amqp://guest:guest@{AmqpEndpoint.Property(EndpointProperty.IPV4Host)}:{AmqpEndpoint.Property(EndpointProperty.Port)}/");
}
