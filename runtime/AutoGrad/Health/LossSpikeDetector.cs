namespace AutoGrad.Health;

/// <summary>
/// MosaicML llm-foundry's loss-spike rule: once a full window of losses is kept, a loss above
/// <c>factor × mean(window)</c> is an outlier, and more than <c>patience</c> consecutive outliers make a spike.
/// Every finite loss joins the window afterwards, as in llm-foundry.
/// </summary>
internal sealed class LossSpikeDetector
{
    private readonly RingBuffer _window;
    private readonly double _factor;
    private readonly int _patience;
    private double _sum;

    public LossSpikeDetector(int window, double factor, int patience)
    {
        _window = new RingBuffer(window);
        _factor = factor;
        _patience = patience;
    }

    /// <summary>Consecutive outliers so far.</summary>
    public int Outliers { get; private set; }

    /// <summary>The mean the last loss was compared with (NaN until the window is full).</summary>
    public double WindowMean { get; private set; } = double.NaN;

    /// <summary>True while more than <c>patience</c> consecutive losses were outliers.</summary>
    public bool IsSpiking => Outliers > _patience;

    public void Observe(double loss)
    {
        if (!double.IsFinite(loss))
        {
            return; // non-finite losses are the NON-FINITE rule's business, and would poison the mean
        }
        if (_window.Count == _window.Capacity)
        {
            WindowMean = _sum / _window.Count;
            Outliers = loss > _factor * WindowMean ? Outliers + 1 : 0;
            _sum -= _window[0];
        }
        _sum += loss;
        _window.Add(loss);
    }
}
