using System.Net;
using System.Net.Sockets;
using System.Text;
using k8s;
using k8s.Models;

namespace CloudAssembly.Services.Tests;

/// <summary>
/// Plays the parts of a Kubernetes cluster that attempt Jobs meet, since no API server runs here: the API server's
/// Job endpoints over HTTP (the Assembler's real KubernetesClient talks to it), the Job controller (Indexed
/// completions, <c>backoffLimit: 0</c>, the Job's own <c>podFailurePolicy</c> rules in order, the other pods terminated
/// when the Job fails) and the kubelet (each pod is a one-shot trainer process started with the pod's arguments and
/// <c>JOB_COMPLETION_INDEX</c>). Kueue admits every Job at once and is not seen (its Workloads answer 404), unless
/// <see cref="QuotaShort"/> makes it hold them.
/// </summary>
public sealed class JobClusterDouble : IAsyncDisposable
{
    private readonly HttpListener listener = new();
    private ServiceCluster? cluster;
    private readonly Dictionary<string, PlacedJob> jobs = [];
    private readonly Task serving;

    private sealed record PlacedJob(V1Job Job, List<ServiceProcess> Pods);

    public JobClusterDouble()
    {
        var port = FreePort();
        ApiServer = $"http://127.0.0.1:{port}";
        listener.Prefixes.Add($"{ApiServer}/");
        listener.Start();
        serving = Task.Run(ServeAsync);
    }

    public string ApiServer { get; }

    /// <summary>Where pods run: their configuration and logs are the cluster's (its broker, its store).</summary>
    public void Attach(ServiceCluster services) => cluster = services;

    /// <summary>The Assembler's settings for launching attempts as Jobs here, from the pod template at <paramref name="template"/>.</summary>
    public IReadOnlyDictionary<string, string> AssemblerSettings(string template) => new Dictionary<string, string>
    {
        ["Assembler__Launcher"] = "KubernetesJobs",
        ["Assembler__Jobs__ApiServer"] = ApiServer,
        ["Assembler__Jobs__Template"] = template,
        ["Assembler__Jobs__Namespace"] = "cloudassembly",
        ["Assembler__Jobs__Queue"] = "",
    };

    /// <summary>Every Job ever created, in order, with its pods.</summary>
    public List<(string Name, IReadOnlyList<ServiceProcess> Pods)> Created { get; } = [];

    public IReadOnlyList<string> Deleted => deleted;

    private readonly List<string> deleted = [];

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            try
            {
                var (status, body) = Answer(context.Request);
                context.Response.StatusCode = (int)status;
                context.Response.ContentType = "application/json";
                var bytes = Encoding.UTF8.GetBytes(body);
                await context.Response.OutputStream.WriteAsync(bytes);
            }
            finally
            {
                context.Response.Close();
            }
        }
    }

    private (HttpStatusCode, string) Answer(HttpListenerRequest request)
    {
        var path = request.Url!.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        // /apis/batch/v1/namespaces/{ns}/jobs[/{name}]
        if (path is ["apis", "batch", "v1", "namespaces", _, "jobs", .. var rest])
            lock (jobs)
                return (request.HttpMethod, rest) switch
                {
                    ("POST", []) => Create(KubernetesJson.Deserialize<V1Job>(new StreamReader(request.InputStream).ReadToEnd())),
                    ("GET", []) => (HttpStatusCode.OK, KubernetesJson.Serialize(new V1JobList
                    {
                        ApiVersion = "batch/v1", Kind = "JobList",
                        Items = [.. jobs.Values.Select(j => j.Job).Where(j => Selects(request.QueryString["labelSelector"], j))],
                    })),
                    ("DELETE", [var name]) => Delete(name),
                    _ => Status(HttpStatusCode.MethodNotAllowed, $"{request.HttpMethod} {request.Url.AbsolutePath}"),
                };
        if (path is ["apis", "kueue.x-k8s.io", "v1beta2", "namespaces", _, "workloads"] && QuotaShort is { } message)
            lock (jobs)
                return (HttpStatusCode.OK, System.Text.Json.JsonSerializer.Serialize(new
                {
                    apiVersion = "kueue.x-k8s.io/v1beta2",
                    kind = "WorkloadList",
                    items = jobs.Values.Where(j => j.Job.Spec.Suspend == true).Select(j => new
                    {
                        metadata = new
                        {
                            name = $"job-{j.Job.Metadata.Name}-5d1c2",
                            ownerReferences = new[] { new { apiVersion = "batch/v1", kind = "Job", name = j.Job.Metadata.Name, uid = j.Job.Metadata.Uid } },
                        },
                        status = new { conditions = new[] { new { type = "QuotaReserved", status = "False", reason = "Pending", message } } },
                    }),
                }));
        return Status(HttpStatusCode.NotFound, $"the server could not find the requested resource ({request.Url.AbsolutePath})");
    }

    /// <summary>
    /// When set, Kueue is installed and holds every suspended Job with this as its Workload's QuotaReserved message,
    /// until <see cref="Admit"/>.
    /// </summary>
    public string? QuotaShort { get; set; }

    /// <summary>Kueue admits the held Jobs: they are unsuspended and their pods start.</summary>
    public void Admit()
    {
        lock (jobs)
        {
            QuotaShort = null;
            foreach (var placed in jobs.Values.Where(j => j.Job.Spec.Suspend == true))
            {
                placed.Job.Spec.Suspend = false;
                StartPods(placed);
            }
        }
    }

    /// <summary>When set, every Job creation is refused with this as the API server's 403 message (RBAC not granted).</summary>
    public string? Forbidden { get; set; }

    private (HttpStatusCode, string) Create(V1Job job)
    {
        var name = job.Metadata.Name;
        if (Forbidden is not null)
            return Status(HttpStatusCode.Forbidden, Forbidden);
        if (jobs.ContainsKey(name))
            return Status(HttpStatusCode.Conflict, $"jobs.batch \"{name}\" already exists");
        job.Metadata.Uid = Guid.NewGuid().ToString();
        job.Status = new V1JobStatus();
        var placed = new PlacedJob(job, []);
        jobs[name] = placed;
        Created.Add((name, placed.Pods));
        // Without Kueue nothing would ever unsuspend a suspended Job; here Kueue admits at once unless told to hold.
        if (job.Spec.Suspend == true && QuotaShort is not null)
            return (HttpStatusCode.Created, KubernetesJson.Serialize(job));
        job.Spec.Suspend = false;
        StartPods(placed);
        return (HttpStatusCode.Created, KubernetesJson.Serialize(job));
    }

    private void StartPods(PlacedJob placed)
    {
        var job = placed.Job;
        var name = job.Metadata.Name;
        job.Status.Active = job.Spec.Parallelism;
        var trainer = job.Spec.Template.Spec.Containers.Single(c => c.Name == "trainer");
        for (var index = 0; index < job.Spec.Completions; index++)
        {
            var podName = $"{name}-{index}";
            var environment = cluster!.ServiceEnvironment("Trainer", podName);
            environment["JOB_COMPLETION_INDEX"] = $"{index}";
            // Pods have a network namespace each; processes on one machine need a port each.
            environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
            var pod = ServiceProcess.Launch("Trainer", podName, environment, [.. trainer.Args]);
            cluster.Adopt(pod);
            placed.Pods.Add(pod);
            _ = pod.Exited.ContinueWith(_ => PodExited(placed, pod), TaskScheduler.Default);
        }
    }

    /// <summary>The Job controller: all pods done is Complete; the first failed pod fails the Job by its policy's first matching rule.</summary>
    private void PodExited(PlacedJob placed, ServiceProcess pod)
    {
        lock (jobs)
        {
            var job = placed.Job;
            if (job.Status.Conditions?.Count > 0)
                return;
            var code = pod.ExitCode;
            if (code == 0)
            {
                job.Status.Succeeded = (job.Status.Succeeded ?? 0) + 1;
                if (job.Status.Succeeded == job.Spec.Completions)
                    job.Status.Conditions = [new V1JobCondition { Type = "Complete", Status = "True" }];
                return;
            }
            // A SIGKILLed process exits 137 as a container would; the policy's rules are matched in order.
            var rule = job.Spec.PodFailurePolicy.Rules.Select((r, i) => (r, i)).First(x => x.r.OnExitCodes is { } codes
                && (codes.OperatorProperty == "In" ? codes.Values.Contains(code) : !codes.Values.Contains(code))).i;
            job.Status.Failed = 1;
            job.Status.Conditions = [new V1JobCondition
            {
                Type = "Failed", Status = "True", Reason = "PodFailurePolicy",
                Message = $"Container trainer for pod cloudassembly/{pod.Name}-x7k2p failed with exit code {code} matching FailJob rule at index {rule}",
            }];
            foreach (var other in placed.Pods.Where(p => p != pod && !p.HasExited))
                other.Terminate();
        }
    }

    private (HttpStatusCode, string) Delete(string name)
    {
        if (!jobs.Remove(name, out var placed))
            return Status(HttpStatusCode.NotFound, $"jobs.batch \"{name}\" not found");
        deleted.Add(name);
        foreach (var pod in placed.Pods.Where(p => !p.HasExited))
            pod.Terminate();
        return (HttpStatusCode.OK, """{"apiVersion":"v1","kind":"Status","status":"Success"}""");
    }

    private static bool Selects(string? selector, V1Job job) => string.IsNullOrEmpty(selector)
        || selector.Split(',').All(term => term.Split('=') is [var key, var value] && job.Metadata.Labels.TryGetValue(key, out var actual) && actual == value);

    /// <summary>The API server's Status answer (KubernetesClient's V1Status converter only reads).</summary>
    private static (HttpStatusCode, string) Status(HttpStatusCode code, string message) =>
        (code, System.Text.Json.JsonSerializer.Serialize(new { apiVersion = "v1", kind = "Status", status = "Failure", message, code = (int)code }));

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        listener.Stop();
        listener.Close();
        await serving;
    }
}
