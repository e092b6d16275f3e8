using System;

namespace AutoGrad.Health;

/// <summary>A fixed-capacity ring of doubles, oldest first; adding never allocates.</summary>
internal sealed class RingBuffer
{
    private readonly double[] _items;
    private int _start;

    public RingBuffer(int capacity)
    {
        _items = new double[capacity];
    }

    public int Capacity => _items.Length;

    public int Count { get; private set; }

    /// <summary>The <paramref name="index"/>-th oldest value still kept.</summary>
    public double this[int index] => _items[(_start + index) % _items.Length];

    /// <summary>The newest value; NaN when empty.</summary>
    public double Last => Count == 0 ? double.NaN : this[Count - 1];

    public void Add(double value)
    {
        if (Count < _items.Length)
        {
            _items[(_start + Count) % _items.Length] = value;
            Count++;
        }
        else
        {
            _items[_start] = value;
            _start = (_start + 1) % _items.Length;
        }
    }

    /// <summary>Copies the newest min(Count, destination.Length) values, oldest first; returns how many.</summary>
    public int CopyLatest(Span<double> destination)
    {
        int n = Math.Min(Count, destination.Length);
        for (int i = 0; i < n; i++)
        {
            destination[i] = this[Count - n + i];
        }
        return n;
    }

    public double[] ToArray()
    {
        var result = new double[Count];
        CopyLatest(result);
        return result;
    }

    public void Clear()
    {
        _start = 0;
        Count = 0;
    }
}
