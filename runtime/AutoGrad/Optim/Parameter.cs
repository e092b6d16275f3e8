using System;

namespace AutoGrad.Optim;

/// <summary>
/// A trainable tensor and the buffer its gradient is written into, under the name the probe layout uses for it
/// (<c>w1</c>, <c>b1</c>), so optimizers, clipping and the health monitor all talk about the same thing.
/// </summary>
public sealed class Parameter
{
    /// <summary>Creates a named parameter.</summary>
    /// <param name="name">The name of the parameter's probe site (the parameter's name in the source).</param>
    /// <param name="value">The weights; updated in place by optimizers.</param>
    /// <param name="gradient">The gradient buffer, the same length as <paramref name="value"/>.</param>
    public Parameter(string name, Tensor value, Tensor gradient)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(gradient);
        if (value.Length != gradient.Length)
        {
            throw new ArgumentException(
                $"The gradient of '{name}' has {gradient.Length} elements but the parameter has {value.Length}.", nameof(gradient));
        }
        if (gradient.Span.Overlaps(value.Span))
        {
            throw new ArgumentException(
                $"The gradient buffer of '{name}' shares memory with the parameter itself; give it a buffer of its own (Tensor.Zeros with its shape).",
                nameof(gradient));
        }
        Name = name;
        Value = value;
        Gradient = gradient;
    }

    /// <summary>The name of the parameter's probe site.</summary>
    public string Name { get; }

    /// <summary>The weights.</summary>
    public Tensor Value { get; }

    /// <summary>The gradient buffer.</summary>
    public Tensor Gradient { get; }

    /// <summary>
    /// ‖ΔW‖/‖W‖ of the most recent optimizer step, with W the weights before it (as CS231n), measured inside the update
    /// kernel; NaN before the first step and when a step has no ratio (a NaN or infinite weight or step, or a step
    /// from weights all zero).
    /// CS231n's rule of thumb wants it near 1e-3.
    /// </summary>
    public double UpdateRatio { get; internal set; } = double.NaN;

    /// <summary>
    /// Whether the optimizer that took the most recent step scales each element's step by its own gradient history
    /// (Adam, AdamW, RMSProp): the health advice then does not suggest an adaptive optimizer.
    /// </summary>
    internal bool SteppedAdaptively { get; set; }
}
