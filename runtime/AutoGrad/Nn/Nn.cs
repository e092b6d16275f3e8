namespace AutoGrad;

/// <summary>
/// Tensor operations with their derivatives, for use in <see cref="DifferentiableAttribute"/> methods and directly.
/// </summary>
/// <remarks>
/// <para>Each op is three methods, one file per op family (the pullback of <c>Tanh</c> is in
/// <c>Nn/Activations/Tanh.cs</c>):</para>
/// <list type="bullet">
/// <item><c>X(...)</c>: the convenient call; allocates its result. It carries
/// <see cref="CustomPullbackAttribute"/>, which is how the generator finds the other two.</item>
/// <item><c>XInto(ref result, [ref state,] ..., site)</c>: writes into a reusable result (and saved state),
/// allocating only when they are missing or the wrong shape. Generated code calls this.</item>
/// <item><c>XPullback(..., result, [state,] dResult, gradients..., site)</c>: the reverse-mode derivative. Each
/// gradient is a <see cref="GradTarget"/>: skipped, overwritten or accumulated.</item>
/// </list>
/// <para>Shapes are batch-first: a matrix is <c>[batch, features]</c>, and row-wise ops work along the last axis.
/// Shape errors throw <see cref="ShapeMismatchException"/> naming the call site and arguments. NaN and infinity
/// propagate; they never throw.</para>
/// </remarks>
public static partial class Nn
{
}
