using System;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;

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

    [DoesNotReturn]
    private static void ThrowLength(int gradientLength, int parameterLength, string gradientName, string parameterName) =>
        throw new ArgumentException(
            $"The gradient buffer '{gradientName}' has length {gradientLength}, but '{parameterName}' has length " +
            $"{parameterLength}; pass a buffer of the same length as '{parameterName}'.",
            gradientName);
}
