using System;

namespace AutoGrad.Health;

/// <summary>Raised by <see cref="HealthMonitor.StatusChanged"/> when a layer's or the whole step's status changes.</summary>
public sealed class HealthStatusChangedEventArgs : EventArgs
{
    /// <summary>Creates the event data.</summary>
    public HealthStatusChangedEventArgs(long step, string subject, int depth, HealthStatus previous, HealthStatus current, HealthRule rule)
    {
        Step = step;
        Subject = subject;
        Depth = depth;
        Previous = previous;
        Current = current;
        Rule = rule;
    }

    /// <summary>The step at which the change was seen.</summary>
    public long Step { get; }

    /// <summary>The layer's name, or "step" for the step as a whole.</summary>
    public string Subject { get; }

    /// <summary>The layer's depth, or -1 for the step as a whole.</summary>
    public int Depth { get; }

    /// <summary>The status before.</summary>
    public HealthStatus Previous { get; }

    /// <summary>The status now.</summary>
    public HealthStatus Current { get; }

    /// <summary>The rule behind <see cref="Current"/>.</summary>
    public HealthRule Rule { get; }

    /// <inheritdoc />
    public override string ToString() =>
        $"step {Step}: {Subject} {Previous.ToReportWord()} -> {Current.ToReportWord()} ({Rule})";
}
