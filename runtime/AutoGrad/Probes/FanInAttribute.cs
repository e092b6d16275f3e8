using System;

namespace AutoGrad.Probes;

/// <summary>
/// Declares which axis of a weight passed to this op parameter counts its inputs, when it is not the default
/// <c>[out, in]</c> layout's axis 1: <c>Nn.MatMul(x, w)</c> takes <c>w</c> as <c>[in, out]</c>. The generator copies it
/// into the parameter's probe site, so the health monitor's n_in·Var(W) uses the right fan-in.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class FanInAttribute : Attribute
{
    /// <summary>Marks a weight parameter whose fan-in is axis <paramref name="axis"/> (0 or 1).</summary>
    public FanInAttribute(int axis)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(axis);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(axis, 1);
        Axis = axis;
    }

    /// <summary>The axis that counts the inputs of each output unit.</summary>
    public int Axis { get; }
}
