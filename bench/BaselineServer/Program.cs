using Orleans.Agent.Bench;

// The floor the load generator compares Orleans.Agent with: the same HTTP shape, workload and event JSON on raw
// Kestrel, with no Orleans, no log store, no auth and no limits. Events go from the workload straight to the
// connections watching, through a per-execution list in memory.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxConcurrentConnections = null);
builder.Services.AddSingleton<BaselineExecutions>();

var app = builder.Build();
app.MapGet("/health/ready", () => "ready");
app.MapPost("/api/agent/execute", BaselineEndpoints.Execute);
app.MapGet("/api/agent/stream/{executionId}", BaselineEndpoints.Stream);
app.MapPost("/api/agent/executions/{executionId}/cancel", BaselineEndpoints.Cancel);
app.Run();
