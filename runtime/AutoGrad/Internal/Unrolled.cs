using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace AutoGrad.Internal;

/// <summary>Helpers for the straight-line code the generator writes for an unrolled loop.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Unrolled
{
    /// <summary>
    /// Returns <paramref name="value"/>, which the C# compiler then cannot treat as a constant. With the counter a
    /// literal in each copy, <c>(int)(i * 2e10)</c>, <c>int.MinValue / i</c> or <c>7 / (i - 1)</c> would be constant
    /// expressions the compiler refuses or folds with its own rules; through this call they are computed at run time,
    /// as in the primal: a saturating conversion, an <c>OverflowException</c> in a checked project, a
    /// <c>DivideByZeroException</c> in a branch that runs.
    /// </summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="value">A constant of an unrolled copy.</param>
    /// <returns>The same value.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T AtRunTime<T>(T value) => value;
}
