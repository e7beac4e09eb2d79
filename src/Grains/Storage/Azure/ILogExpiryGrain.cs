namespace Orleans.Agent.Grains.Storage.Azure;

/// <summary>The cluster's one sweeper of expired logs on Azure Storage (key 0), woken by a durable reminder.</summary>
public interface ILogExpiryGrain : IGrainWithIntegerKey
{
    /// <summary>Makes sure the reminder exists (every silo asks at start; the first creates it).</summary>
    Task Start();

    /// <summary>Removes every log whose time is up; returns how many.</summary>
    Task<int> Sweep();
}
