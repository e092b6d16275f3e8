using System;
using System.ComponentModel;

namespace AutoGrad;

/// <summary>
/// Reshape and Flatten return views of their input (no copy). The view is kept across calls while the input is
/// the same storage and shape, so steady-state calls allocate nothing.
/// </summary>
internal static class Views
{
    /// <summary>Resolves <paramref name="shape"/> (one dimension may be -1) against x's length into <paramref name="resolved"/>.</summary>
    public static void Resolve(Tensor x, ReadOnlySpan<int> shape, Span<int> resolved, OpSite site)
    {
        int inferAt = -1;
        long known = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            int d = shape[i];
            if (d == -1 && inferAt < 0)
            {
                inferAt = i;
                continue;
            }
            if (d < 0)
            {
                throw Mismatch(x, shape, site);
            }
            known *= d;
        }
        shape.CopyTo(resolved);
        if (inferAt >= 0)
        {
            if (known == 0 || x.Length % known != 0)
            {
                throw Mismatch(x, shape, site);
            }
            resolved[inferAt] = (int)(x.Length / known);
        }
        else if (known != x.Length)
        {
            throw Mismatch(x, shape, site);
        }
    }

    /// <summary>Points <paramref name="result"/> at x's storage with <paramref name="shape"/>, reusing it when it already is.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void Into(ref Tensor? result, Tensor x, ReadOnlySpan<int> shape)
    {
        Tensor? r = result;
        if (r is not null && ReferenceEquals(r.Data, x.Data) && r.Offset == x.Offset && r.HasShape(shape))
        {
            return;
        }
        result = x.Reshape(shape.ToArray());
    }

    /// <summary>dX (+)= dResult, element for element (the layouts agree).</summary>
    public static void Backward(Tensor x, Tensor result, Tensor dResult, GradTarget dX, OpSite site)
    {
        ArgumentNullException.ThrowIfNull(x);
        OpChecks.ResultGradient(dResult, result, site);
        OpChecks.Gradient(dX, x, site, 0, "x");
        if (dX.IsActive)
        {
            Grad.Put(dX, dResult.Span);
        }
    }

    private static ShapeMismatchException Mismatch(Tensor x, ReadOnlySpan<int> shape, OpSite site) =>
        new(site, $"cannot view {site.Argument(0, "x")} of shape {x.ShapeString} ({x.Length} elements) as {Tensor.FormatShape(shape)}");
}
