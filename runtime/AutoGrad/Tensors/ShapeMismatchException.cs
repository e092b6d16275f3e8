using System;

namespace AutoGrad;

/// <summary>
/// Thrown when a tensor op receives shapes it cannot combine. The message names the op, the source file and line
/// of the call, and both shapes.
/// </summary>
public sealed class ShapeMismatchException : ArgumentException
{
    /// <summary>Creates the exception with a message that starts with <paramref name="site"/>'s description.</summary>
    public ShapeMismatchException(OpSite site, string detail)
        : base($"{site?.Describe() ?? "tensor op"}: {detail}")
    {
        Site = site;
    }

    /// <summary>The call site that failed, when known.</summary>
    public OpSite? Site { get; }
}
