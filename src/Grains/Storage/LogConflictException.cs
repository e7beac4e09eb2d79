namespace Orleans.Agent.Grains.Storage;

/// <summary>The log did not end at the sequence the appender expected: someone else appended to it.</summary>
public sealed class LogConflictException(string message) : Exception(message);
