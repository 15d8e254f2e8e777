using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace CloudAssembly.Orchestration.Messaging;

/// <summary>
/// What the services hosted in one process add to the bus: each service's registration (<c>AddAssembler</c>,
/// <c>AddTrainer</c>, <c>AddDataPrep</c>) registers its own parts and its consumers and receive endpoints here; a client
/// adds none.
/// </summary>
public sealed class CloudAssemblyBuilder(IServiceCollection services)
{
    private readonly List<Action<IBusRegistrationConfigurator>> consumers = [];
    private readonly List<Action<IBusRegistrationContext, IBusFactoryConfigurator>> endpoints = [];

    public IServiceCollection Services => services;

    public CloudAssemblyBuilder AddEndpoint(Action<IBusRegistrationConfigurator> addConsumers,
        Action<IBusRegistrationContext, IBusFactoryConfigurator> configureEndpoints)
    {
        consumers.Add(addConsumers);
        endpoints.Add(configureEndpoints);
        return this;
    }

    internal void AddConsumers(IBusRegistrationConfigurator configurator) => consumers.ForEach(add => add(configurator));

    internal void ConfigureEndpoints(IBusRegistrationContext context, IBusFactoryConfigurator configurator) =>
        endpoints.ForEach(configure => configure(context, configurator));
}
