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

    /// <summary>
    /// Reserves <paramref name="trips"/> × <paramref name="perTrip"/> slots on top of the tape for a loop that pushes
    /// <paramref name="perTrip"/> values an iteration, and returns them: the loop writes them in order through the span
    /// and a cursor of its own, which the JIT keeps in registers where the tape's fields would sit in stack slots.
    /// </summary>
    /// <exception cref="OverflowException">The slots would number more than <see cref="int.MaxValue"/>.</exception>
    public Span<T> Reserve(int trips, int perTrip)
    {
        // A negative count is a generator bug (a trip count that overflowed): fail before touching the tape.
        ArgumentOutOfRangeException.ThrowIfNegative(trips);
        int length = checked(trips * perTrip);
        T[]? items = _items;
        int count = _count;
        if (items is null || items.Length - count < length)
        {
            items = Grow(items, count, checked(count + length));
            _items = items;
        }
        _count = count + length;
        return items.AsSpan(count, length);
    }

    /// <summary>
    /// Pops what <see cref="Reserve"/> reserved for the same loop at once: the last <paramref name="trips"/> ×
    /// <paramref name="perTrip"/> values, oldest first, for the reverse loop to read from the end.
    /// </summary>
    public ReadOnlySpan<T> PopSpan(int trips, int perTrip)
    {
        int length = trips * perTrip;
        int count = _count - length;
        _count = count;
        return new ReadOnlySpan<T>(_items, count, length);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static T[] Grow(T[]? old, int count, int needed = 0)
    {
        // A push needs one more slot than it has; doubling stops at the largest array there is.
        needed = Math.Max(needed, count + 1);
        if ((uint)needed > (uint)Array.MaxLength) throw new OutOfMemoryException($"A tape of {(uint)needed} values does not fit in an array.");
        long size = old is null ? InitialCapacity : Math.Min(2L * old.Length, Array.MaxLength);
        while (size < needed) size = Math.Min(2L * size, Array.MaxLength);
        T[] grown = ArrayPool<T>.Shared.Rent((int)size);
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
