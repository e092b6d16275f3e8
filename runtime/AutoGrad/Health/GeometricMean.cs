using System;

namespace AutoGrad.Health;

/// <summary>
/// The geometric mean that stands for a stack of layers' readings (init scales, update ratios: log-scale quantities).
/// Positive finite values are averaged in logs; a 0 (a layer initialized to zeros, a frozen layer) cannot be, and is
/// the result only when every finite value is 0; NaN when no value is finite. Allocation-free, for per-step use.
/// </summary>
internal struct GeometricMean
{
    private double _sumLog;
    private int _positive;
    private bool _zero;

    public void Add(double value)
    {
        if (value > 0 && !double.IsPositiveInfinity(value))
        {
            _sumLog += Math.Log(value);
            _positive++;
        }
        else if (value == 0)
        {
            _zero = true;
        }
    }

    public readonly double Value => _positive > 0 ? Math.Exp(_sumLog / _positive) : _zero ? 0 : double.NaN;
}
