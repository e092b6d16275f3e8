using System;

namespace AutoGrad.Init;

/// <summary>
/// fan_in and fan_out of a weight tensor in AutoGrad's layout: a dense weight is [out, in]; a convolution kernel is
/// [out, in, k...] and each fan is multiplied by the receptive field; a vector counts as [n] with fan_in = fan_out = n.
/// </summary>
public readonly record struct Fans(int In, int Out)
{
    /// <summary>The fans of <paramref name="weight"/>.</summary>
    public static Fans Of(Tensor weight) => Of(weight, inAxis: 1);

    /// <summary>
    /// The fans of <paramref name="weight"/> whose inputs are counted by axis <paramref name="inAxis"/> (0 or 1) and
    /// outputs by the other of the first two: 0 for the <c>[in, out]</c> weight of <c>Nn.MatMul(x, w)</c>.
    /// </summary>
    public static Fans Of(Tensor weight, int inAxis)
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentOutOfRangeException.ThrowIfNegative(inAxis);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(inAxis, 1);
        if (weight.Rank == 1)
        {
            return new Fans(weight.Length, weight.Length);
        }
        int receptive = 1;
        for (int axis = 2; axis < weight.Rank; axis++)
        {
            receptive *= weight.Dim(axis);
        }
        return new Fans(weight.Dim(inAxis) * receptive, weight.Dim(1 - inAxis) * receptive);
    }
}
