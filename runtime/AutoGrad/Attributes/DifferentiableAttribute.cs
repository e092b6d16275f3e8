using System;

namespace AutoGrad;

/// <summary>
/// Marks a static method whose reverse-mode gradient the AutoGrad source generator writes at compile time.
/// </summary>
/// <remarks>
/// For <c>static double Loss(double a, ReadOnlySpan&lt;double&gt; w, [NoGrad] double[] x, int n)</c> the generator
/// adds <c>LossGradient(a, w, x, n, out double dA, Span&lt;double&gt; dW)</c> to the same partial type. It returns the
/// function's value and writes one gradient per differentiable parameter, in parameter order. It also adds
/// <c>LossPullback</c>, which other differentiable methods call to chain through this one.
/// The containing type (and every type it is nested in) must be <c>partial</c>.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class DifferentiableAttribute : Attribute
{
}
