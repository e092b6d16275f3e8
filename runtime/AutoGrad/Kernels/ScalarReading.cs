using System;
using System.Runtime.CompilerServices;

namespace AutoGrad.Kernels;

/// <summary>
/// Σv², max|v| and min|v| of values read one at a time (the columns of a row past its last whole vector), then added
/// to a <see cref="KernelReading"/>'s tail. A local struct, so its fields live in registers: a sum carried through the
/// reading's memory would cost a store and a reload per value.
/// </summary>
internal struct ScalarReading
{
    private double _sum;
    private float _max;
    private float _min;

    /// <summary>An empty reading (min|v| starts above every value).</summary>
    public ScalarReading()
    {
        _sum = 0;
        _max = 0;
        _min = float.PositiveInfinity;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(float v)
    {
        _sum += (double)v * v;
        float magnitude = MathF.Abs(v);
        _max = magnitude > _max ? magnitude : _max; // NaN is left out here and caught by the sum's check
        _min = magnitude < _min ? magnitude : _min;
    }

    public readonly unsafe void AddTo(KernelReading* reading)
    {
        reading->TailSumOfSquares += _sum;
        reading->TailMaxAbs = _max > reading->TailMaxAbs ? _max : reading->TailMaxAbs;
        reading->TailMinAbs = _min < reading->TailMinAbs ? _min : reading->TailMinAbs;
    }
}
