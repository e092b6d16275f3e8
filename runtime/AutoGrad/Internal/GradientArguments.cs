using System;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace AutoGrad.Internal;

/// <summary>Argument checks the generated <c>{Method}Gradient</c> methods run before any work.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class GradientArguments
{
    /// <summary>Throws unless a gradient buffer has exactly the length of the parameter it receives.</summary>
    /// <param name="gradientLength">The length of the gradient buffer the caller passed.</param>
    /// <param name="parameterLength">The length of the parameter it is the gradient of.</param>
    /// <param name="gradientName">The gradient parameter's name, e.g. <c>dW</c>.</param>
    /// <param name="parameterName">The differentiated parameter's name, e.g. <c>w</c>.</param>
    public static void CheckLength(int gradientLength, int parameterLength, string gradientName, string parameterName)
    {
        if (gradientLength != parameterLength)
        {
            ThrowLength(gradientLength, parameterLength, gradientName, parameterName);
        }
    }

    /// <summary>Throws unless a gradient tensor has exactly the shape of the parameter it receives.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CheckShape(Tensor gradient, Tensor parameter, string gradientName, string parameterName)
    {
        // Shapes never change, so a pair that matched once matches for good: a training loop passes the same two
        // tensors every step. Inlined, that test is all a step pays (six calls were about 2% of a 0.7 µs step).
        if (gradient is null || parameter is null || !ReferenceEquals(gradient.ShapeMatched, parameter))
        {
            CheckShapeOnce(gradient!, parameter!, gradientName, parameterName);
        }
    }

    private static void CheckShapeOnce(Tensor gradient, Tensor parameter, string gradientName, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(gradient, gradientName);
        ArgumentNullException.ThrowIfNull(parameter, parameterName);
        if (!gradient.SameShape(parameter))
        {
            throw new ArgumentException(
                $"The gradient '{gradientName}' has shape {gradient.ShapeString}, but '{parameterName}' has shape " +
                $"{parameter.ShapeString}; pass a tensor of the same shape as '{parameterName}'.", gradientName);
        }
        gradient.ShapeMatched = parameter;
    }

    /// <summary>Throws unless a gradient array matches a <c>Tensor[]</c> parameter in length and in every shape.</summary>
    public static void CheckShapes(Tensor[] gradients, Tensor[] parameters, string gradientName, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(gradients, gradientName);
        ArgumentNullException.ThrowIfNull(parameters, parameterName);
        if (gradients.Length != parameters.Length)
        {
            throw new ArgumentException(
                $"'{gradientName}' has {gradients.Length} tensors, but '{parameterName}' has {parameters.Length}.", gradientName);
        }
        for (int i = 0; i < parameters.Length; i++)
        {
            if (gradients[i] is null || parameters[i] is null || !gradients[i].SameShape(parameters[i]))
            {
                // Names are built only on failure: the check runs every training step.
                string index = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                CheckShape(gradients[i]!, parameters[i]!, gradientName + "[" + index + "]", parameterName + "[" + index + "]");
            }
        }
    }

    /// <summary>
    /// Throws unless a <c>Tensor[]</c> argument has every tensor the method reads at a constant index, such as the
    /// <c>w[l]</c> of a loop the generator unrolled: the call fails before any work, naming the read, instead of with an
    /// <see cref="IndexOutOfRangeException"/> part way through the forward sweep.
    /// </summary>
    /// <param name="tensors">The argument.</param>
    /// <param name="count">One more than the largest index read.</param>
    /// <param name="parameterName">The parameter's name, e.g. <c>w</c>.</param>
    /// <param name="method">The differentiated method's name.</param>
    /// <param name="file">The source file of the read.</param>
    /// <param name="line">The source line of the read.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CheckCount(Tensor[] tensors, int count, string parameterName, string method, string file, int line)
    {
        if (tensors is null || tensors.Length < count) ThrowCount(tensors, count, parameterName, method, file, line);
    }

    [DoesNotReturn]
    private static void ThrowCount(Tensor[]? tensors, int count, string parameterName, string method, string file, int line)
    {
        ArgumentNullException.ThrowIfNull(tensors, parameterName);
        throw new ArgumentException(
            $"{method} at {file}:{line} reads {parameterName}[{count - 1}], but '{parameterName}' has {tensors.Length} " +
            $"tensor{(tensors.Length == 1 ? "" : "s")}; pass at least {count}.",
            parameterName);
    }

    /// <summary>Throws unless <paramref name="probes"/> is null or was made for <paramref name="layout"/>.</summary>
    /// <param name="probes">The probes a caller passed to a probed gradient.</param>
    /// <param name="layout">The method's generated <c>{Method}ProbeLayout</c>.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CheckProbes(Probes.GradientProbes? probes, Probes.ProbeLayout layout)
    {
        if (probes is not null && !ReferenceEquals(probes.Layout, layout)) CheckProbesLayout(probes.Layout, layout);
    }

    private static void CheckProbesLayout(Probes.ProbeLayout given, Probes.ProbeLayout layout)
    {
        // A layout built by hand for this method, site for site, is as good as the generated one.
        if (!given.SameSitesAs(layout))
        {
            string method = layout.Method.Substring(layout.Method.LastIndexOf('.') + 1);
            throw new ArgumentException(
                $"The probes were made for '{given.Method}' ({given.Count} sites), but this is the gradient of " +
                $"'{layout.Method}' ({layout.Count} sites); pass new GradientProbes({method}ProbeLayout).", "probes");
        }
    }

    /// <summary>
    /// The exception the declarations generated for a method with AutoGrad errors throw: they keep code that calls its
    /// gradient compiling while the errors are fixed, and run only if the build went on despite them.
    /// </summary>
    /// <param name="method">The method, qualified with its type.</param>
    /// <returns>The exception to throw.</returns>
    public static InvalidOperationException NotGenerated(string method) =>
        new($"No gradient was generated for '{method}': the AutoGrad generator reported errors on it (AG diagnostics in the " +
            "build output). Fix them; this build went on only because their severity was lowered.");

    [DoesNotReturn]
    private static void ThrowLength(int gradientLength, int parameterLength, string gradientName, string parameterName) =>
        throw new ArgumentException(
            $"The gradient buffer '{gradientName}' has length {gradientLength}, but '{parameterName}' has length " +
            $"{parameterLength}; pass a buffer of the same length as '{parameterName}'.",
            gradientName);
}
