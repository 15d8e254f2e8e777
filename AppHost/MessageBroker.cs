using System.Diagnostics;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace CloudAssembly.AppHost;

/// <summary>RabbitMQ, as Aspire's container or as the locally installed <c>rabbitmq-server</c> node.</summary>
public static class MessageBroker
{
    /// <summary>Settings every CloudAssembly broker needs (consumer_timeout), shared by the container and the local node.</summary>
    public const string ConfigFile = "rabbitmq/cloudassembly.conf";

    /// <summary>The broker k8s/ deploys, so local runs and clusters speak to the same RabbitMQ.</summary>
    public const string ImageTag = "4.2.9-management";

    public static IResourceBuilder<IResourceWithConnectionString> AddMessageBroker(
        this IDistributedApplicationBuilder builder, string name, InfrastructureOptions options, bool containers) =>
        containers ? builder.AddRabbitMQContainer(name) : builder.AddLocalRabbitMQ(name, options);

    private static IResourceBuilder<RabbitMQServerResource> AddRabbitMQContainer(this IDistributedApplicationBuilder builder, string name) =>
        builder.AddRabbitMQ(name)
            .WithManagementPlugin()
            .WithImageTag(ImageTag)
            .WithDataVolume()
            .WithBindMount(ConfigFile, "/etc/rabbitmq/conf.d/90-cloudassembly.conf", isReadOnly: true);

    private static IResourceBuilder<LocalRabbitMQResource> AddLocalRabbitMQ(
        this IDistributedApplicationBuilder builder, string name, InfrastructureOptions options)
    {
        var server = options.RabbitServer ?? ExecutableLocator.Find("rabbitmq-server", "/usr/sbin") ?? throw new InvalidOperationException(
            "rabbitmq-server is not installed (looked on PATH and in /usr/sbin): run eng/services-up.sh, which installs the " +
            "Debian package, or set --Infrastructure:RabbitServer=<path>, or run Docker so the AppHost uses containers.");
        var folder = Path.Combine(options.DataFolder, "rabbitmq");
        var configFile = Path.Combine(folder, "rabbitmq.conf");
        var pluginsFile = Path.Combine(folder, "enabled_plugins");
        if (builder.ExecutionContext.IsRunMode)
        {
            TcpPort.EnsureFree(options.RabbitPort, "RabbitMQ", "Infrastructure:RabbitPort");
            TcpPort.EnsureFree(options.RabbitManagementPort, "RabbitMQ", "Infrastructure:RabbitManagementPort");
            TcpPort.EnsureFree(options.RabbitDistributionPort, "RabbitMQ", "Infrastructure:RabbitDistributionPort");
            Directory.CreateDirectory(folder);
            File.WriteAllText(configFile,
                $"""
                listeners.tcp.default = {TcpPort.Loopback}:{options.RabbitPort}
                management.tcp.ip = {TcpPort.Loopback}
                management.tcp.port = {options.RabbitManagementPort}
                log.console = true
                log.console.level = info
                log.file = false

                """ + File.ReadAllText(Path.Combine(builder.AppHostDirectory, ConfigFile)));
            File.WriteAllText(pluginsFile, "[rabbitmq_management].\n");
            GiveToRabbitMQUser(folder);
        }

        var healthCheck = $"{name}-amqp";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheck, ct => TcpPort.CheckAsync(options.RabbitPort, ct));
        // The node runs in the foreground so the AppHost owns its lifetime; every path points into its own folder, so
        // it neither touches nor depends on the node that eng/services-up.sh starts (rabbit@localhost on 5672).
        return builder.AddResource(new LocalRabbitMQResource(name, server, folder))
            .WithEnvironment("RABBITMQ_NODENAME", options.RabbitNodeName)
            .WithEnvironment("RABBITMQ_NODE_IP_ADDRESS", TcpPort.Loopback)
            .WithEnvironment("RABBITMQ_NODE_PORT", options.RabbitPort.ToString())
            .WithEnvironment("RABBITMQ_DIST_PORT", options.RabbitDistributionPort.ToString())
            .WithEnvironment("ERL_EPMD_ADDRESS", TcpPort.Loopback)
            .WithEnvironment("RABBITMQ_CONFIG_FILE", configFile)
            .WithEnvironment("RABBITMQ_ENABLED_PLUGINS_FILE", pluginsFile)
            .WithEnvironment("RABBITMQ_MNESIA_BASE", Path.Combine(folder, "mnesia"))
            .WithEnvironment("RABBITMQ_LOG_BASE", Path.Combine(folder, "log"))
            .WithEnvironment("RABBITMQ_PID_FILE", Path.Combine(folder, "rabbit.pid"))
            .WithEnvironment("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "-kernel inet_dist_use_interface {127,0,0,1}")
            .WithEndpoint(port: options.RabbitPort, targetPort: options.RabbitPort, scheme: "tcp",
                name: LocalRabbitMQResource.AmqpEndpointName, isProxied: false)
            .WithHttpEndpoint(port: options.RabbitManagementPort, targetPort: options.RabbitManagementPort,
                name: LocalRabbitMQResource.ManagementEndpointName, isProxied: false)
            .WithHealthCheck(healthCheck);
    }

    /// <summary>
    /// Run as root, the Debian wrapper starts the node as user rabbitmq (su), which must own every folder it writes
    /// and be able to pass through every folder above it.
    /// </summary>
    private static void GiveToRabbitMQUser(string folder)
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
            return;
        var dataFolder = Path.GetDirectoryName(Path.GetFullPath(folder))!;
        File.SetUnixFileMode(dataFolder, File.GetUnixFileMode(dataFolder) | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        for (var above = Path.GetDirectoryName(dataFolder); above is not null; above = Path.GetDirectoryName(above))
        {
            if (!File.GetUnixFileMode(above).HasFlag(UnixFileMode.OtherExecute))
                throw new InvalidOperationException(
                    $"The RabbitMQ node runs as user rabbitmq and cannot reach {folder}, because {above} is closed to other users: " +
                    "choose another --Infrastructure:DataFolder (the default is under the temp folder).");
        }
        using var chown = Process.Start("chown", ["-R", "rabbitmq:rabbitmq", folder]);
        chown.WaitForExit();
        if (chown.ExitCode != 0)
            throw new InvalidOperationException($"chown -R rabbitmq:rabbitmq {folder} failed (exit code {chown.ExitCode}); the RabbitMQ node could not write there.");
    }
}
