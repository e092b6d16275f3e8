using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace AutoGrad.Internal;

/// <summary>
/// Per-iteration values of one op call site inside a loop (a float loss per time step, say), kept in the
/// workspace so its storage survives across calls: after the longest sequence was seen, nothing is allocated.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ValueTape<T> where T : unmanaged
{
    private T[] _items = new T[16];
    private int _count;

    /// <summary>The number of values pushed in this call.</summary>
    public int Count => _count;

    /// <summary>Value <paramref name="index"/> of this call (0 = first iteration).</summary>
    public T this[int index] => (uint)index < (uint)_count ? _items[index] : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>Starts a new call.</summary>
    public void Reset() => _count = 0;

    /// <summary>Pushes a value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(T value)
    {
        if (_count == _items.Length) Array.Resize(ref _items, _items.Length * 2);
        _items[_count++] = value;
    }

    /// <summary>Takes back the most recent value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Pop() => _items[--_count];
}
