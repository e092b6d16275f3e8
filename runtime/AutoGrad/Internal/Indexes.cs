using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace AutoGrad.Internal;

/// <summary>Index conversions for generated code, which indexes spans (int only) where the method indexed an array.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Indexes
{
    /// <summary>
    /// A <c>long</c> array index as the <c>int</c> a span takes. An index outside every array throws the
    /// <see cref="IndexOutOfRangeException"/> the method's own <c>a[k]</c> throws; a plain cast would wrap it onto a valid
    /// element (4294967297 onto 1) and the gradient would read what the method never read.
    /// </summary>
    /// <param name="index">The index the method computed.</param>
    /// <returns>The same index as an int.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ToInt(long index) => (ulong)index <= int.MaxValue ? (int)index : throw new IndexOutOfRangeException();

    /// <summary>
    /// A <c>ulong</c> array index as the <c>int</c> a span takes, failing as the method's <c>a[k]</c> does: an
    /// <see cref="OverflowException"/> past <c>long.MaxValue</c> (the conversion to a native index), an
    /// <see cref="IndexOutOfRangeException"/> past every array below it.
    /// </summary>
    /// <param name="index">The index the method computed.</param>
    /// <returns>The same index as an int.</returns>
    public static int ToInt(ulong index) => index <= int.MaxValue ? (int)index
        : index > long.MaxValue ? throw new OverflowException() : throw new IndexOutOfRangeException();
}
