using System;

namespace AutoGrad;

/// <summary>
/// Excludes a parameter of a <see cref="DifferentiableAttribute"/> method from differentiation: no gradient output
/// is generated for it and it is treated as a constant (data, labels, hyper-parameters).
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class NoGradAttribute : Attribute
{
}
