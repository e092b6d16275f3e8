using System;

namespace AutoGrad.Optim;

/// <summary>Linear warm-up from near zero to another schedule's rate over the first steps (Goyal et al., 2017),
/// then that schedule, shifted so it starts where the warm-up ends.</summary>
public sealed class WarmupSchedule : LearningRateSchedule
{
    /// <summary>Wraps <paramref name="after"/> with <paramref name="warmupSteps"/> steps of linear warm-up.</summary>
    public WarmupSchedule(LearningRateSchedule after, long warmupSteps)
    {
        After = after ?? throw new ArgumentNullException(nameof(after));
        WarmupSteps = CheckSteps(warmupSteps, nameof(warmupSteps));
    }

    /// <summary>The schedule that follows the warm-up.</summary>
    public LearningRateSchedule After { get; }

    /// <summary>The length of the warm-up.</summary>
    public long WarmupSteps { get; }

    /// <inheritdoc />
    public override float At(long step) =>
        step < WarmupSteps
            ? After.At(0) * (Math.Max(0, step) + 1) / WarmupSteps
            : After.At(step - WarmupSteps);
}
