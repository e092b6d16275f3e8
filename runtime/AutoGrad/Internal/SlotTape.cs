using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace AutoGrad.Internal;

/// <summary>
/// Per-iteration storage for a value produced inside a loop with a run-time trip count: the forward sweep fills
/// slot 0, 1, 2, ... and the reverse sweep walks them back. Slots (and the tensors in them) are kept across calls,
/// so after the first call for a given length and shape nothing is allocated.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class SlotTape<T> where T : class
{
    private T?[] _slots = new T?[8];
    private int _count;

    /// <summary>The number of slots handed out in this call.</summary>
    public int Count => _count;

    /// <summary>Slot <paramref name="index"/> of this call (0 = first iteration).</summary>
    public T? this[int index] => (uint)index < (uint)_count ? _slots[index] : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>Starts a new call.</summary>
    public void Reset() => _count = 0;

    /// <summary>The next slot, for an op's <c>ref result</c> or <c>ref state</c>.</summary>
    public ref T? Next()
    {
        if (_count == _slots.Length) Array.Resize(ref _slots, _slots.Length * 2);
        return ref _slots[_count++];
    }

    /// <summary>The slot most recently handed out by <see cref="Next"/>.</summary>
    public T Current
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _slots[_count - 1]!;
    }

    /// <summary>Pushes a reference (for tensor variables a loop overwrites).</summary>
    public void Push(T? value) => Next() = value;

    /// <summary>Takes back the most recent slot's value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Pop() => _slots[--_count]!;

    /// <summary>Takes back a reference pushed with <see cref="Push"/>, which may be null.</summary>
    public T? PopNullable() => _slots[--_count];
}
