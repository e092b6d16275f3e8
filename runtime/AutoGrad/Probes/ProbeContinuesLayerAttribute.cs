using System;

namespace AutoGrad.Probes;

/// <summary>
/// Declares that the op combines its parameter arguments element-wise with its other input, as a bias is added to
/// <c>x·W</c>. When that input is the product of the layer being built (no activation yet), the generator puts the
/// parameters in that layer instead of starting a new one, so <c>Nn.Add(Nn.MatMul(x, w), b)</c> is one layer, as
/// <c>Nn.Linear(x, w, b)</c> is.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class ProbeContinuesLayerAttribute : Attribute
{
}
