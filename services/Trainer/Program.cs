using CloudAssembly.Orchestration.Runs;
using CloudAssembly.Orchestration.Trainer;

// `attempt --run-id …`: a pod of a phase attempt's Kubernetes Job, which runs that attempt and exits; otherwise a
// long-lived trainer that takes phase commands from the queue.
var oneShot = AttemptArguments.AreGiven(args) ? AttemptArguments.Parse(args) : null;
var builder = WebApplication.CreateBuilder(oneShot is null ? args : []);
builder.AddServiceDefaults();
if (oneShot is null)
    builder.AddTrainer();
else
    builder.AddOneShotTrainer(oneShot);

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
