using System;

namespace AutoGrad.Optim;

/// <summary>Cosine annealing from <c>base</c> to <c>min</c> over <c>total</c> steps, then held at <c>min</c>
/// (Loshchilov &amp; Hutter's SGDR without restarts).</summary>
public sealed class CosineSchedule : LearningRateSchedule
{
    /// <summary>Creates a cosine schedule.</summary>
    public CosineSchedule(float baseRate, long totalSteps, float minRate = 0f)
    {
        BaseRate = CheckRate(baseRate, nameof(baseRate));
        TotalSteps = CheckSteps(totalSteps, nameof(totalSteps));
        MinRate = CheckRate(minRate, nameof(minRate));
    }

    /// <summary>The rate at step 0.</summary>
    public float BaseRate { get; }

    /// <summary>The step at which the rate reaches <see cref="MinRate"/>.</summary>
    public long TotalSteps { get; }

    /// <summary>The final rate.</summary>
    public float MinRate { get; }

    /// <inheritdoc />
    public override float At(long step)
    {
        double t = Math.Clamp((double)step / TotalSteps, 0, 1);
        return (float)(MinRate + 0.5 * (BaseRate - MinRate) * (1 + Math.Cos(Math.PI * t)));
    }
}
