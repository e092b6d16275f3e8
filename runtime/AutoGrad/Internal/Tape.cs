using System;
using System.Buffers;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace AutoGrad.Internal;

/// <summary>
/// The stack that generated reverse sweeps use for values a loop overwrites, branch decisions and trip counts.
/// Storage is rented from <see cref="ArrayPool{T}"/>, so a steady-state call allocates nothing.
/// </summary>
/// <remarks>Used by generated code only. Always <see cref="Dispose"/> it (the generator emits try/finally).</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct Tape<T> : IDisposable where T : unmanaged
{
    private const int InitialCapacity = 256;
    private T[]? _items;
    private int _count;

    /// <summary>The number of values currently on the tape.</summary>
    public readonly int Count => _count;

    /// <summary>Pushes a value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(T value)
    {
        T[]? items = _items;
        if (items is not null && (uint)_count < (uint)items.Length)
        {
            items[_count++] = value;
            return;
        }
        PushSlow(value);
    }

    /// <summary>Pops the most recently pushed value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Pop()
    {
        // The reverse sweep pops exactly what the forward sweep pushed; an underflow is a generator bug.
        return _items![--_count];
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void PushSlow(T value)
    {
        T[]? old = _items;
        int capacity = old is null ? InitialCapacity : old.Length * 2;
        T[] grown = ArrayPool<T>.Shared.Rent(capacity);
        if (old is not null)
        {
            old.AsSpan(0, _count).CopyTo(grown);
            ArrayPool<T>.Shared.Return(old);
        }
        _items = grown;
        _items[_count++] = value;
    }

    /// <summary>Returns the storage to the pool.</summary>
    public void Dispose()
    {
        if (_items is not null)
        {
            ArrayPool<T>.Shared.Return(_items);
            _items = null;
        }
        _count = 0;
    }
}
