using System;
using System.Numerics.Tensors;

namespace AutoGrad;

/// <summary>Copies column ranges between row-major tensors that agree on every axis but the last (Concat, Slice).</summary>
internal static class Columns
{
    /// <summary>dst[r, dstStart + j] (+)= src[r, srcStart + j] for j &lt; count, over all rows.</summary>
    public static void Copy(
        ReadOnlySpan<float> src, int srcWidth, int srcStart, Span<float> dst, int dstWidth, int dstStart, int count, int rows, bool accumulate)
    {
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> from = src.Slice(r * srcWidth + srcStart, count);
            Span<float> to = dst.Slice(r * dstWidth + dstStart, count);
            if (accumulate)
            {
                TensorPrimitives.Add(to, from, to);
            }
            else
            {
                from.CopyTo(to);
            }
        }
    }

    /// <summary>The shape of x with its last axis replaced by <paramref name="width"/>.</summary>
    public static void WithWidth(Tensor x, int width, Span<int> shape)
    {
        x.Shape.CopyTo(shape);
        shape[^1] = width;
    }
}
