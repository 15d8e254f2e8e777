using Microsoft.Extensions.Configuration;

namespace CloudAssembly.AppHost;

/// <summary>
/// Section <c>Infrastructure</c> of the AppHost's configuration. The ports and node name apply to the executables
/// only and differ from eng/services-up.sh's (5672, 15672, 25672, 10000), so both can run side by side.
/// </summary>
public sealed record InfrastructureOptions
{
    public const string Section = "Infrastructure";

    public InfrastructureMode Mode { get; init; } = InfrastructureMode.Auto;

    /// <summary>RabbitMQ's node data and Azurite's blobs; they outlive the AppHost, so runs survive a restart.</summary>
    public string DataFolder { get; init; } = Path.Combine(Path.GetTempPath(), "cloudassembly-apphost");

    public string RabbitNodeName { get; init; } = "rabbit-apphost@localhost";
    public int RabbitPort { get; init; } = 5673;
    public int RabbitDistributionPort { get; init; } = 25673;
    public int RabbitManagementPort { get; init; } = 15673;
    public int AzuritePort { get; init; } = 10011;

    /// <summary>Where <c>rabbitmq-server</c> is; found on PATH or in /usr/sbin when not set.</summary>
    public string? RabbitServer { get; init; }

    /// <summary>Where <c>azurite-blob</c> is; found where eng/services-up.sh installs it or on PATH when not set.</summary>
    public string? Azurite { get; init; }

    public static InfrastructureOptions From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<InfrastructureOptions>() ?? new InfrastructureOptions();
}
