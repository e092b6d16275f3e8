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
            WindowMean = Mean();
            Outliers = loss > _factor * WindowMean ? Outliers + 1 : 0;
        }
        _window.Add(loss);
    }

    /// <summary>
    /// The window's mean, summed afresh: a running sum that adds each loss and subtracts it again when it leaves kept
    /// the rounding of large losses (after losses of 1e20, 300 losses of 1 had a mean of 21,299, so no later spike
    /// counted). A window is a few hundred values, next to a training step's millions.
    /// </summary>
    private double Mean()
    {
        double sum = 0;
        for (int i = 0; i < _window.Count; i++) sum += _window[i];
        return sum / _window.Count;
    }
}
