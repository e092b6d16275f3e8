using System;

namespace AutoGrad.Optim;

/// <summary>Step decay: <c>base · γ^⌊step / every⌋</c> (PyTorch's StepLR).</summary>
public sealed class StepSchedule : LearningRateSchedule
{
    /// <summary>Creates a step decay.</summary>
    /// <param name="baseRate">The rate for the first <paramref name="every"/> steps.</param>
    /// <param name="every">How many steps between decays.</param>
    /// <param name="gamma">The factor applied at each decay.</param>
    public StepSchedule(float baseRate, long every, float gamma)
    {
        BaseRate = CheckRate(baseRate, nameof(baseRate));
        Every = CheckSteps(every, nameof(every));
        Gamma = CheckRate(gamma, nameof(gamma));
    }

    /// <summary>The initial rate.</summary>
    public float BaseRate { get; }

    /// <summary>Steps between decays.</summary>
    public long Every { get; }

    /// <summary>The decay factor.</summary>
    public float Gamma { get; }

    /// <inheritdoc />
    public override float At(long step) => BaseRate * MathF.Pow(Gamma, Math.Max(0, step) / Every);
}
