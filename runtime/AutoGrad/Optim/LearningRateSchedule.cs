using System;

namespace AutoGrad.Optim;

/// <summary>A learning rate as a function of the step number (0-based). Pure, so it is cheap to ask every step.</summary>
public abstract class LearningRateSchedule
{
    /// <summary>The learning rate at <paramref name="step"/>.</summary>
    public abstract float At(long step);

    /// <summary>A constant learning rate.</summary>
    public static LearningRateSchedule Constant(float rate) => new StepSchedule(rate, long.MaxValue, 1f);

    /// <summary>Throws unless <paramref name="rate"/> is finite and non-negative.</summary>
    private protected static float CheckRate(float rate, string name) =>
        float.IsFinite(rate) && rate >= 0 ? rate : throw new ArgumentOutOfRangeException(name, rate, "A learning rate must be finite and non-negative.");

    /// <summary>Throws unless <paramref name="steps"/> is positive.</summary>
    private protected static long CheckSteps(long steps, string name) =>
        steps > 0 ? steps : throw new ArgumentOutOfRangeException(name, steps, "The number of steps must be positive.");
}
