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

    /// <summary>How many views of different storage or shape one slot keeps (two batch sizes, each over two buffers).</summary>
    private const int ViewsPerSlot = 4;

    /// <summary>
    /// Points <paramref name="result"/> at x's storage with <paramref name="shape"/>: the slot's view when it already
    /// is one, else one of the last <see cref="ViewsPerSlot"/> views the slot made, else a new view (views are
    /// immutable, so handing back an older one that matches is safe).
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void Into(ref Tensor? result, Tensor x, ReadOnlySpan<int> shape)
    {
        Tensor? r = result;
        if (r is not null && IsViewOf(r, x, shape))
        {
            return;
        }
        Tensor?[]? views = r?.SlotViews;
        if (views is not null)
        {
            foreach (Tensor? v in views)
            {
                if (v is not null && IsViewOf(v, x, shape))
                {
                    result = v;
                    return;
                }
            }
        }
        views ??= new Tensor?[ViewsPerSlot];
        Tensor made = x.Reshape(shape.ToArray());
        made.SlotViews = views;
        // Replace the oldest: the array is kept in order of making, newest last.
        Array.Copy(views, 1, views, 0, views.Length - 1);
        views[^1] = made;
        result = made;
    }

    private static bool IsViewOf(Tensor view, Tensor x, ReadOnlySpan<int> shape) =>
        ReferenceEquals(view.Data, x.Data) && view.Offset == x.Offset && view.HasShape(shape);

    /// <summary>dX (+)= dResult, element for element (the layouts agree).</summary>
    public static void Backward(Tensor x, Tensor result, Tensor dResult, GradTarget dX, OpSite site)
    {
        OpChecks.NotNull(x, site, 0, "x");
        OpChecks.ResultLength(result, x, site);
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
