using System;

namespace AutoGrad;

/// <summary>
/// Registers a hand-written derivative (a pullback) for a static method, so differentiable code can call it.
/// The generator never looks inside a method that has one; it calls the pullback in the reverse sweep.
/// </summary>
/// <remarks>
/// <para>The pullback is a static method of the same type, named by <see cref="PullbackMethod"/>, with this shape:</para>
/// <list type="number">
/// <item>the primal method's parameters, in order (without caller-info parameters such as
/// <c>[CallerLineNumber]</c>);</item>
/// <item>optionally the primal's result, of the return type (saves recomputing it, as in <c>Exp</c> or <c>Tanh</c>);</item>
/// <item>the adjoint of the result, of the return type;</item>
/// <item>one gradient per differentiable parameter, in order: <c>ref T</c> for a <c>float</c>/<c>double</c>,
/// <c>Span&lt;T&gt;</c> for an array or span. Pullbacks <b>accumulate</b> (<c>+=</c>) into them.</item>
/// </list>
/// <example><code>
/// [CustomPullback(nameof(SoftplusPullback))]
/// public static double Softplus(double x) => x > 30 ? x : Math.Log(1 + Math.Exp(x));
/// public static void SoftplusPullback(double x, double dResult, ref double dX) => dX += dResult / (1 + Math.Exp(-x));
/// </code></example>
/// Tensor operations use the same attribute and add <see cref="ForwardInto"/>, a forward that writes into a
/// reusable output so a generated training step allocates nothing after its first call.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class CustomPullbackAttribute : Attribute
{
    /// <summary>Registers <paramref name="pullbackMethod"/> as the derivative of the attributed method.</summary>
    /// <param name="pullbackMethod">The name of the pullback, usually written with <c>nameof</c>.</param>
    public CustomPullbackAttribute(string pullbackMethod) => PullbackMethod = pullbackMethod;

    /// <summary>The name of the static pullback method in the same type.</summary>
    public string PullbackMethod { get; }

    /// <summary>
    /// Optional: the name of an allocation-free forward for tensor operations,
    /// <c>void XInto(ref Tensor? result, [ref TState? state,] &lt;parameters&gt;, OpSite site)</c>.
    /// </summary>
    public string? ForwardInto { get; set; }
}
