namespace Orleans.Agent.Bench;

/// <summary>Keeps the generator and the server it measures off each other's core, so one does not steal the other's time.</summary>
internal static class CpuPinning
{
    /// <summary>The server's core, or null when there are too few cores to separate them.</summary>
    public static int? ServerCore => Environment.ProcessorCount >= 2 ? 0 : null;

    /// <summary>Moves this process to the last core (the server gets core 0).</summary>
    public static void PinGenerator()
    {
        if (OperatingSystem.IsLinux() && Environment.ProcessorCount >= 2)
        {
            System.Diagnostics.Process.GetCurrentProcess().ProcessorAffinity = (nint)(1L << (Environment.ProcessorCount - 1));
        }
    }
}
