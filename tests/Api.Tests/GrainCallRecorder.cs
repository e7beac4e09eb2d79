using Orleans.Agent.Executions;

namespace Orleans.Agent.Tests;

/// <summary>
/// Grain call filters for the in-process silo: counts the calls each execution grain method receives (what the API's
/// connections cost the silo, observed rather than timed) and, on demand, loses the grain's pushes to API nodes, as a
/// crashed silo or a dropped message would.
/// </summary>
public sealed class GrainCallRecorder : IIncomingGrainCallFilter, IOutgoingGrainCallFilter
{
    private readonly Dictionary<string, int> _calls = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _byInterface = new(StringComparer.Ordinal);
    private int _droppedPushes;

    /// <summary>While true, every <see cref="IExecutionWatcher.OnEvents"/> push is dropped instead of sent.</summary>
    public bool DropPushes { get; set; }

    /// <summary>Pushes dropped so far.</summary>
    public int DroppedPushes => Volatile.Read(ref _droppedPushes);

    /// <summary>Calls of <see cref="IExecutionGrain"/>'s method <paramref name="method"/> so far.</summary>
    public int Calls(string method)
    {
        lock (_calls)
        {
            return _calls.GetValueOrDefault(method);
        }
    }

    /// <summary>Calls any grain implementing the interface named <paramref name="interfaceName"/> received so far.</summary>
    public int CallsTo(string interfaceName)
    {
        lock (_calls)
        {
            return _byInterface.GetValueOrDefault(interfaceName);
        }
    }

    public Task Invoke(IIncomingGrainCallContext context)
    {
        lock (_calls)
        {
            if (context.InterfaceMethod?.DeclaringType is { } type)
            {
                _byInterface[type.Name] = _byInterface.GetValueOrDefault(type.Name) + 1;
            }

            if (context.InterfaceMethod?.DeclaringType == typeof(IExecutionGrain))
            {
                _calls[context.MethodName] = _calls.GetValueOrDefault(context.MethodName) + 1;
            }
        }

        return context.Invoke();
    }

    public Task Invoke(IOutgoingGrainCallContext context)
    {
        if (DropPushes && context.InterfaceMethod?.DeclaringType == typeof(IExecutionWatcher))
        {
            Interlocked.Increment(ref _droppedPushes);
            return Task.CompletedTask;
        }

        return context.Invoke();
    }
}
