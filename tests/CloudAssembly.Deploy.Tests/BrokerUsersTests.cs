using System.Text.Json;
using System.Text.RegularExpressions;
using k8s.Models;

namespace CloudAssembly.Deploy.Tests;

/// <summary>One broker user per service with only what it needs, KEDA's read-only user, all loaded at boot.</summary>
public sealed class BrokerUsersTests
{
    private static readonly JsonElement Definitions =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.K8s, "base", "rabbitmq", "definitions.json"))).RootElement;

    [KubectlTheory]
    [InlineData(RenderedOverlays.LocalCpu)]
    [InlineData(RenderedOverlays.Gpu)]
    public void Each_service_connects_as_its_own_user_whose_password_the_broker_loads_at_boot(string overlay)
    {
        var objects = RenderedOverlays.Objects(overlay);
        var rabbitmq = objects.OfType<V1StatefulSet>().Single(s => s.Metadata.Name == "rabbitmq").Spec.Template.Spec;
        var loaded = rabbitmq.InitContainers.Single().Env.ToDictionary(e => e.ValueFrom.SecretKeyRef.Key, e => e.ValueFrom.SecretKeyRef.Name);

        foreach (var name in new[] { "assembler", "data-prep", "trainer" })
        {
            var container = Manifests.ServicePod(objects, name).Spec.Containers.Single();
            var password = container.Env.Single(e => e.Name == "RABBITMQ_PASSWORD").ValueFrom.SecretKeyRef;
            var env = container.Env.Select(e => e.Name).ToList();

            Assert.Equal($"amqp://{name}:$(RABBITMQ_PASSWORD)@rabbitmq:5672/", Manifests.Env(container, "ConnectionStrings__rabbit"));
            Assert.True(env.IndexOf("RABBITMQ_PASSWORD") < env.IndexOf("ConnectionStrings__rabbit"), "$(VAR) expands only variables defined before it.");
            Assert.Equal((name, "rabbitmq-users"), (password.Key, loaded[name]));
            Assert.Contains(Users(), u => u.Name == name);
        }
        Assert.Equal(Users().Select(u => u.Name).Order(), loaded.Keys.Order());
    }

    [Fact]
    public void Only_the_operator_administers_and_keda_may_only_look()
    {
        var keda = Permission("keda");

        Assert.Equal(["operator"], Users().Where(u => u.Tags.Contains("administrator")).Select(u => u.Name));
        Assert.Equal(["management"], Users().Single(u => u.Name == "keda").Tags);
        Assert.All(new[] { "trainer", "assembler", "CloudAssembly.Contracts:TrainPhase" }, resource =>
        {
            Assert.False(Regex.IsMatch(resource, keda.Configure) || Regex.IsMatch(resource, keda.Write) || Regex.IsMatch(resource, keda.Read));
        });
    }

    [Theory]
    [InlineData("assembler", "read", "assembler", true)]
    [InlineData("assembler", "write", "CloudAssembly.Contracts:TrainPhase", true)]
    [InlineData("assembler", "write", "CloudAssembly.Contracts:PhaseCompleted", false)]
    [InlineData("assembler", "read", "trainer", false)]
    [InlineData("trainer", "read", "trainer", true)]
    [InlineData("trainer", "write", "CloudAssembly.Contracts:PhaseCompleted", true)]
    [InlineData("trainer", "write", "CloudAssembly.Contracts:RunCompleted", false)]
    [InlineData("trainer", "read", "assembler", false)]
    [InlineData("trainer", "configure", "host_CloudAssembly-Trainer_trainer-events_ybnoyyyyb8aqpsjbbdcx5fgmry", true)]
    [InlineData("data-prep", "read", "data-prep", true)]
    [InlineData("data-prep", "write", "CloudAssembly.Contracts:DatasetReady", true)]
    [InlineData("data-prep", "write", "CloudAssembly.Contracts:TrainPhase", false)]
    [InlineData("submitter", "write", "CloudAssembly.Contracts:SubmitRun", true)]
    [InlineData("submitter", "write", "CloudAssembly.Contracts:TrainPhase", false)]
    [InlineData("submitter", "read", "CloudAssembly.Contracts:RunCompleted", true)]
    [InlineData("submitter", "read", "assembler", false)]
    public void Each_user_reaches_its_own_queue_and_messages_and_no_others(string user, string access, string resource, bool allowed)
    {
        var permission = Permission(user);
        var pattern = access switch { "configure" => permission.Configure, "write" => permission.Write, _ => permission.Read };

        Assert.Equal(allowed, Regex.IsMatch(resource, pattern));
    }

    private static IEnumerable<(string Name, string[] Tags)> Users() =>
        Definitions.GetProperty("users").EnumerateArray()
            .Select(u => (u.GetProperty("name").GetString()!, u.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).ToArray()));

    private static (string Configure, string Write, string Read) Permission(string user)
    {
        var p = Definitions.GetProperty("permissions").EnumerateArray().Single(p => p.GetProperty("user").GetString() == user);
        return (p.GetProperty("configure").GetString()!, p.GetProperty("write").GetString()!, p.GetProperty("read").GetString()!);
    }
}
