using System;

namespace AutoGrad;

/// <summary>
/// Declares that the attributed op computes <c>Outer(Inner(args...))</c> in one pass, so the generator can replace
/// that nested call in differentiable code by this op (with <see cref="Argument"/> appended to the inner call's
/// arguments). The generator knows no op by name: fusions are registered here, next to the fused op.
/// </summary>
/// <example><c>[FusionOf(nameof(Relu), nameof(Linear), Argument = FusedActivation.Relu)]</c> on
/// <c>LinearActivation(x, w, b, activation)</c> turns <c>Nn.Relu(Nn.Linear(x, w, b))</c> into one op whose backward
/// pass applies the ReLU mask while forming the weight gradient.</example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class FusionOfAttribute : Attribute
{
    /// <summary>Registers the fusion of <paramref name="outer"/> applied to the result of <paramref name="inner"/>.</summary>
    public FusionOfAttribute(string outer, string inner)
    {
        Outer = outer;
        Inner = inner;
    }

    /// <summary>The op applied last (e.g. an activation).</summary>
    public string Outer { get; }

    /// <summary>The op whose result <see cref="Outer"/> consumes (e.g. <c>Linear</c>).</summary>
    public string Inner { get; }

    /// <summary>A constant appended to the inner op's arguments (e.g. which activation).</summary>
    public object? Argument { get; set; }
}
