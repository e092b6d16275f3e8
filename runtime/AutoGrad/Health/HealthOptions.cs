using System;

namespace AutoGrad.Health;

/// <summary>
/// How the <see cref="HealthMonitor"/> samples and what it does about what it sees. The classification numbers
/// live in <see cref="Thresholds"/>.
/// </summary>
public sealed record HealthOptions
{
    /// <summary>The classification thresholds.</summary>
    public HealthThresholds Thresholds { get; init; } = HealthThresholds.Default;

    /// <summary>Classify every k-th step (k = this). Non-finite checks, clipping and loss-spike tracking still run
    /// every step, and a non-finite step is always classified.</summary>
    public int RecordEvery { get; init; } = 1;

    /// <summary>Classified steps kept per site (ring buffers allocated once), for medians, trends and charts.</summary>
    public int HistoryLength { get; init; } = 512;

    /// <summary>When set, gradients whose global norm exceeds this are scaled down to it (Pascanu et al., 2013),
    /// using the norm the probes already measured when the parameters passed to <see cref="HealthMonitor.Record"/>
    /// (which clipping needs) are exactly the method's, and their own norm otherwise. A non-finite norm scales nothing.</summary>
    public double? ClipGlobalNorm { get; init; }

    /// <summary>When set, every gradient value is clamped to [-this, this] (after any norm clipping), ±∞ included,
    /// on non-finite steps too; a NaN stays.</summary>
    public double? ClipValue { get; init; }

    /// <summary>When true, <see cref="HealthMonitor.ShouldSkipUpdate"/> turns on for a step with a non-finite loss or
    /// gradient, so the optimizer can leave the weights alone.</summary>
    public bool SkipNonFiniteUpdates { get; init; } = true;

    /// <summary>After this many consecutive non-finite steps <see cref="HealthMonitor.ShouldStop"/> turns on and
    /// <see cref="HealthMonitor.StopRequested"/> is raised; 0 never asks to stop.</summary>
    public int StopAfterNonFiniteSteps { get; init; } = 5;

    /// <summary>Throws when an option is out of range.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Thresholds);
        Thresholds.Validate();
        if (RecordEvery < 1) throw new ArgumentOutOfRangeException(nameof(RecordEvery), RecordEvery, "Must be at least 1.");
        if (HistoryLength < 2) throw new ArgumentOutOfRangeException(nameof(HistoryLength), HistoryLength, "Must be at least 2.");
        if (HistoryLength < Thresholds.MinHistory)
        {
            // The rolling medians read the kept history: with less than MinHistory steps of it they would never run.
            throw new ArgumentOutOfRangeException(nameof(HistoryLength), HistoryLength,
                $"Must be at least Thresholds.MinHistory ({Thresholds.MinHistory}); otherwise the rolling-median rules never have enough history to run.");
        }
        if (ClipGlobalNorm is { } n && !(n > 0)) throw new ArgumentOutOfRangeException(nameof(ClipGlobalNorm), n, "Must be positive.");
        if (ClipValue is { } v && !(v > 0)) throw new ArgumentOutOfRangeException(nameof(ClipValue), v, "Must be positive.");
        if (StopAfterNonFiniteSteps < 0) throw new ArgumentOutOfRangeException(nameof(StopAfterNonFiniteSteps), StopAfterNonFiniteSteps, "Must be at least 0.");
    }
}
