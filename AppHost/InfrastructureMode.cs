namespace CloudAssembly.AppHost;

/// <summary>
/// How the AppHost provides RabbitMQ and blob storage: as containers (needs a Docker engine), as the locally
/// installed <c>rabbitmq-server</c> and <c>azurite-blob</c> run as executables, or whichever the machine allows.
/// </summary>
public enum InfrastructureMode
{
    Auto,
    Containers,
    Executables,
}
