using System;
using System.Numerics.Tensors;

namespace AutoGrad;

/// <summary>Writes a computed gradient into a <see cref="GradTarget"/>, honouring overwrite versus accumulate.</summary>
internal static class Grad
{
    /// <summary><c>target (+)= values</c>.</summary>
    public static void Put(GradTarget target, ReadOnlySpan<float> values)
    {
        Span<float> dst = target.Tensor!.Span;
        if (target.IsAccumulate)
        {
            TensorPrimitives.Add(dst, values, dst);
        }
        else
        {
            values.CopyTo(dst);
        }
    }

    /// <summary><c>target (+)= scale · values</c>.</summary>
    public static void PutScaled(GradTarget target, ReadOnlySpan<float> values, float scale)
    {
        Span<float> dst = target.Tensor!.Span;
        if (target.IsAccumulate)
        {
            TensorPrimitives.MultiplyAdd(values, scale, dst, dst);
        }
        else
        {
            TensorPrimitives.Multiply(values, scale, dst);
        }
    }

    /// <summary><c>target (+)= a ⊙ b</c>.</summary>
    public static void PutProduct(GradTarget target, ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Span<float> dst = target.Tensor!.Span;
        if (target.IsAccumulate)
        {
            TensorPrimitives.MultiplyAdd(a, b, dst, dst);
        }
        else
        {
            TensorPrimitives.Multiply(a, b, dst);
        }
    }

    /// <summary><c>target (+)= value</c> for every element.</summary>
    public static void PutConstant(GradTarget target, float value)
    {
        Span<float> dst = target.Tensor!.Span;
        if (target.IsAccumulate)
        {
            TensorPrimitives.Add(dst, value, dst);
        }
        else
        {
            dst.Fill(value);
        }
    }
}
