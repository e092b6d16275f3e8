using System;

namespace AutoGrad.Init;

/// <summary>
/// fan_in and fan_out of a weight tensor in AutoGrad's layout: a dense weight is [out, in]; a convolution kernel is
/// [out, in, k...] and each fan is multiplied by the receptive field; a vector counts as [n] with fan_in = fan_out = n.
/// </summary>
public readonly record struct Fans(int In, int Out)
{
    /// <summary>The fans of <paramref name="weight"/>.</summary>
    public static Fans Of(Tensor weight)
    {
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.Rank == 1)
        {
            return new Fans(weight.Length, weight.Length);
        }
        int receptive = 1;
        for (int axis = 2; axis < weight.Rank; axis++)
        {
            receptive *= weight.Dim(axis);
        }
        return new Fans(weight.Dim(1) * receptive, weight.Dim(0) * receptive);
    }
}
