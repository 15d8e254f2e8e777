using MassTransit;

namespace CloudAssembly.Orchestration.Messaging;

/// <summary>
/// Who sent a message, as RabbitMQ vouches for it: every CloudAssembly bus stamps its messages with AMQP's
/// <c>user-id</c> property (its connection's user), and RabbitMQ refuses a message whose <c>user-id</c> is not the
/// user of the connection that publishes it. So a message that carries one was sent by that user; one without (the
/// in-memory bus of the embedded run, a client that does not stamp) has no proven sender.
/// </summary>
public static class BrokerUser
{
    /// <summary>The broker user in <paramref name="rabbitUri"/> (amqp://user:pass@host/vhost), or null when it names none.</summary>
    public static string? FromUri(string rabbitUri)
    {
        var userInfo = new Uri(rabbitUri).UserInfo;
        return string.IsNullOrEmpty(userInfo) ? null : Uri.UnescapeDataString(userInfo.Split(':')[0]);
    }

    /// <summary>Stamps every message this bus publishes or sends with <paramref name="user"/>.</summary>
    public static void Stamp(IRabbitMqBusFactoryConfigurator cfg, string user)
    {
        cfg.ConfigurePublish(p => p.UseExecute(context => StampOne(context, user)));
        cfg.ConfigureSend(s => s.UseExecute(context => StampOne(context, user)));
    }

    /// <summary>The broker user RabbitMQ validated for this message, or null when the message carries none.</summary>
    public static string? Of(ConsumeContext context) =>
        context.ReceiveContext.TryGetPayload<RabbitMqBasicConsumeContext>(out var basic) && basic.Properties.IsUserIdPresent()
            ? basic.Properties.UserId
            : null;

    private static void StampOne(SendContext context, string user)
    {
        if (context.TryGetPayload<RabbitMqSendContext>(out var rabbit))
            rabbit.BasicProperties.UserId = user;
    }
}
