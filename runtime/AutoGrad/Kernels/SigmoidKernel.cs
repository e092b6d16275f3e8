using System;
using System.Numerics.Tensors;

namespace AutoGrad.Kernels;

/// <summary>
/// <c>TensorPrimitives.Sigmoid</c> for every op that needs the logistic function. TensorPrimitives refuses empty spans
/// ("Input span arguments must not be empty"), but an empty batch is valid input to every op, with an empty result.
/// </summary>
internal static class SigmoidKernel
{
    /// <summary><c>y = 1 / (1 + e^(−x))</c>; nothing for empty spans.</summary>
    public static void Apply(ReadOnlySpan<float> x, Span<float> y)
    {
        if (!x.IsEmpty)
        {
            TensorPrimitives.Sigmoid(x, y);
        }
    }
}
