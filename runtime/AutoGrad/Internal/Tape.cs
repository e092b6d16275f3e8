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
        // Fields are read into locals and written back, and the slow path is a static function of values: nothing
        // takes the struct's address, so the JIT can keep the tape in registers inside the generated loop.
        T[]? items = _items;
        int count = _count;
        if (items is null || (uint)count >= (uint)items.Length)
        {
            items = Grow(items, count);
            _items = items;
        }
        items[count] = value;
        _count = count + 1;
    }

    /// <summary>Pops the most recently pushed value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Pop()
    {
        // The reverse sweep pops exactly what the forward sweep pushed; an underflow is a generator bug.
        int count = _count - 1;
        _count = count;
        return _items![count];
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static T[] Grow(T[]? old, int count)
    {
        T[] grown = ArrayPool<T>.Shared.Rent(old is null ? InitialCapacity : old.Length * 2);
        if (old is not null)
        {
            old.AsSpan(0, count).CopyTo(grown);
            ArrayPool<T>.Shared.Return(old);
        }
        return grown;
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
