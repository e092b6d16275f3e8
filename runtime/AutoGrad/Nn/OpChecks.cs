using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace AutoGrad;

/// <summary>
/// Shape checks shared by the ops. Every failure is a <see cref="ShapeMismatchException"/> whose message names the
/// op and call site, the arguments as written there, and both shapes, so the user can fix the line it points to.
/// </summary>
internal static class OpChecks
{
    /// <summary>Requires a rank-2 tensor; <paramref name="layout"/> describes its axes, e.g. <c>batch, features</c>.</summary>
    /// <remarks>
    /// This and the other checks a layer runs on every call are inlined, their throws kept in helpers: as calls, the
    /// 21-layer tanh network's 88 matrix checks a step showed as 0.5% of its profile, and inlining the linear layer's
    /// checks took 0.17–0.46% off its step (in one process against the calls, eight processes).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Matrix(Tensor t, OpSite site, int arg, string fallback, string layout)
    {
        if (t is null || t.Rank != 2)
        {
            ThrowNotMatrix(t, site, arg, fallback, layout);
        }
    }

    /// <summary>Requires a tensor argument that is not null, naming the op and its line when it is.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void NotNull([NotNull] Tensor? t, OpSite site, int arg, string fallback)
    {
        if (t is null) ThrowNull(site, arg, fallback);
    }

    /// <summary>A null tensor argument, named with the op and the line of its call (a Tensor[] entry left null).</summary>
    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNull(OpSite site, int arg, string fallback) =>
        throw new ArgumentNullException(fallback, $"{site.Describe()}: {site.Argument(arg, fallback)} is null.");

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNotMatrix(Tensor? t, OpSite site, int arg, string fallback, string layout)
    {
        if (t is null) ThrowNull(site, arg, fallback);
        throw new ShapeMismatchException(
            site, $"{site.Argument(arg, fallback)} must be a matrix [{layout}] but has shape {t.ShapeString}");
    }

    /// <summary>Requires a rank-1 tensor of <paramref name="length"/> values, matching <paramref name="what"/> of another argument.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Vector(Tensor t, int length, OpSite site, int arg, string fallback, string what, Tensor other, int otherArg, string otherFallback)
    {
        if (t is null || t.Rank != 1 || t.Length != length)
        {
            ThrowNotVector(t, length, site, arg, fallback, what, other, otherArg, otherFallback);
        }
    }

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNotVector(
        Tensor? t, int length, OpSite site, int arg, string fallback, string what, Tensor other, int otherArg, string otherFallback)
    {
        if (t is null) ThrowNull(site, arg, fallback);
        string name = site.Argument(arg, fallback);
        string otherName = site.Argument(otherArg, otherFallback);
        throw new ShapeMismatchException(
            site,
            $"{name} has shape {t.ShapeString} but {otherName} has {length} {what} " +
            $"({name} must be [{length}]; {otherName} is {other.ShapeString})");
    }

    /// <summary>Requires two tensors of the same shape.</summary>
    public static void SameShape(Tensor a, Tensor b, OpSite site, int argA, string fallbackA, int argB, string fallbackB)
    {
        NotNull(a, site, argA, fallbackA);
        NotNull(b, site, argB, fallbackB);
        if (!Same(a, b))
        {
            throw new ShapeMismatchException(
                site,
                $"{site.Argument(argA, fallbackA)} has shape {a.ShapeString} but {site.Argument(argB, fallbackB)} " +
                $"has shape {b.ShapeString}; they must match");
        }
    }

    /// <summary>Requires <c>dResult</c> to have the shape of the op's result.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ResultGradient(Tensor dResult, Tensor result, OpSite site)
    {
        if (dResult is null || result is null || !Same(dResult, result))
        {
            ThrowResultGradient(dResult, result, site);
        }
    }

    /// <summary>
    /// Requires the result handed to a pullback to be the op's output, <c>[rows, columns]</c>: the pullback reads
    /// dResult with that shape's strides (generated code always passes the real result; a hand-written call may not).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Result(Tensor result, int rows, int columns, OpSite site)
    {
        if (result is null || result.Rank != 2 || result.Dim(0) != rows || result.Dim(1) != columns)
        {
            ThrowResult(result, "[" + rows.ToString(System.Globalization.CultureInfo.InvariantCulture) + ", " +
                columns.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]", site);
        }
    }

    /// <summary>Requires the result handed to a pullback to have <paramref name="input"/>'s shape (a normalization's).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Result(Tensor result, Tensor input, OpSite site)
    {
        if (result is null || !Same(result, input))
        {
            ThrowResult(result, input.ShapeString, site);
        }
    }

    /// <summary>Requires the result handed to a pullback to have <paramref name="input"/>'s shape but for its last axis,
    /// which is <paramref name="lastAxis"/> long (Slice's and Concat's outputs).</summary>
    public static void Result(Tensor result, Tensor input, int lastAxis, OpSite site)
    {
        bool ok = result is not null && result.Rank == input.Rank && result.Dim(-1) == lastAxis;
        for (int i = 0; ok && i < input.Rank - 1; i++) ok = result!.Dim(i) == input.Dim(i);
        if (!ok)
        {
            int[] expected = input.Shape.ToArray();
            expected[^1] = lastAxis;
            ThrowResult(result, "[" + string.Join(", ", expected) + "]", site);
        }
    }

    /// <summary>Requires the result handed to a view's pullback to hold as many values as its input.</summary>
    public static void ResultLength(Tensor result, Tensor input, OpSite site)
    {
        if (result is null || result.Length != input.Length)
        {
            ThrowResult(result, $"{input.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)} values like {input.ShapeString}", site);
        }
    }

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowResult(Tensor? result, string expected, OpSite site)
    {
        ArgumentNullException.ThrowIfNull(result);
        throw new ShapeMismatchException(site, $"the result passed to the pullback has shape {result.ShapeString} but the op's output is {expected}");
    }

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowResultGradient(Tensor? dResult, Tensor? result, OpSite site)
    {
        ArgumentNullException.ThrowIfNull(dResult);
        ArgumentNullException.ThrowIfNull(result);
        throw new ShapeMismatchException(
            site, $"the result's gradient has shape {dResult.ShapeString} but the result has shape {result.ShapeString}");
    }

    /// <summary>Requires a gradient buffer (when one is wanted) to have its parameter's shape.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Gradient(GradTarget target, Tensor parameter, OpSite site, int arg, string fallback)
    {
        if (target.Tensor is { } buffer && !Same(buffer, parameter))
        {
            ThrowGradient(buffer, parameter, site, arg, fallback);
        }
    }

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowGradient(Tensor buffer, Tensor parameter, OpSite site, int arg, string fallback)
    {
        string name = site.Argument(arg, fallback);
        throw new ShapeMismatchException(
            site, $"the gradient buffer for {name} has shape {buffer.ShapeString} but {name} has shape {parameter.ShapeString}");
    }

    /// <summary>Shape equality (every op checks two or three shapes per call; see <see cref="Tensor.HasShape"/>).</summary>
    public static bool Same(Tensor a, Tensor b) => a.SameShape(b);

    /// <summary>The number of rows when the last axis is the feature axis (product of the other dimensions).</summary>
    /// <remarks>Multiplied out rather than <c>Length / width</c>, which has no answer for a zero-width tensor: a
    /// <c>[2, 0]</c> tensor still has two rows, and Concat must copy the other operand's.</remarks>
    public static int Rows(Tensor t)
    {
        ReadOnlySpan<int> shape = t.Shape;
        int rows = 1;
        for (int i = 0; i < shape.Length - 1; i++)
        {
            rows *= shape[i];
        }
        return rows;
    }
}
