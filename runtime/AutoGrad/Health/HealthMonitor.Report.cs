using System;
using System.Linq;
using System.Collections.Generic;
using AutoGrad.Probes;

namespace AutoGrad.Health;

public sealed partial class HealthMonitor
{
    /// <summary>
    /// The step, loss, learning rate and global norm of the last classified step. With
    /// <see cref="HealthOptions.RecordEvery"/> above 1 the latest step may not be classified, and the report's header
    /// must describe the step its statuses and readings are of (it showed step 5's loss over step 0's statuses).
    /// </summary>
    private (long Step, double Loss, double LearningRate, double GlobalNorm) _classified = (-1, double.NaN, double.NaN, double.NaN);

    /// <summary>
    /// Builds a snapshot of the last classified step with advice. This allocates (strings, arrays); call it when
    /// you want to look, not every step. Its actions (skip, stop, clipping) are the latest step's, which may be later.
    /// </summary>
    public HealthReport Report()
    {
        var sites = new SiteHealth[Layout.Count];
        for (int i = 0; i < sites.Length; i++)
        {
            SiteReading r = _reading[i];
            // As in the JSON lines: a gradient with NaN or ±∞ in it has no norms (those of its finite values would look real).
            bool finite = r.NonFinite == 0;
            sites[i] = new SiteHealth(Layout.Sites[i], i, finite ? r.L2 : double.NaN, finite ? r.Rms : double.NaN,
                finite ? r.MaxAbs : double.NaN, r.NonFinite, r.Flagged, r.Zeros,
                _siteMedian[i], _siteStatus[i], _siteRule[i], r.TimeSteps, r.Earliest, r.Latest);
        }
        var layers = new LayerHealth[_layers.Length];
        for (int l = 0; l < layers.Length; l++)
        {
            layers[l] = DescribeLayer(l);
        }
        NonFiniteOrigin? origin = _nonFiniteSite >= 0
            ? new NonFiniteOrigin(Layout.Sites[_nonFiniteSite], _nonFiniteSite, _nonFiniteReportedByOp, _nonFiniteReportedByOp && _nonFiniteInputsFinite)
            : null;
        var actions = new HealthActions(ClipScale, ShouldSkipUpdate, ShouldStop, ConsecutiveNonFiniteSteps,
            _lossSpike.IsSpiking, _lossSpike.WindowMean, _lossSpike.Outliers, ClippedValues);
        var context = new AdviceContext(layers, _layers, DepthProfile, origin, actions, _classified.Loss, _classified.LearningRate, Options,
            HasRecorded: _classified.Step >= 0)
        {
            StartLoss = StartLossMedian(),
            RecentLoss = RollingMedian(_lossHistory),
            AdaptiveLayers = (bool[])_layerAdaptive.Clone(),
            ZeroWeightLayers = Enumerable.Range(0, _layers.Length).Where(l => _layerZeroWeights[l]).ToArray(),
            InitiallyZeroLayers = Enumerable.Range(0, _layers.Length).Where(l => _layerInitiallyZero[l]).ToArray(),
            StepsSinceBinding = _bindingStep < 0 ? 0 : _classified.Step - _bindingStep,
            UnpairedLayers = _parameters is null ? [] : Enumerable.Range(0, _layers.Length)
                .Where(l => _layers[l].WeightSite >= 0 && _layerWeightParameters[l].Length == 0 && CouldBeNamedOtherwise(l)).ToArray(),
            UnmatchedEntries = _parameters is null ? [] : _parameters.Select(p => p.Name).Where(n => !Matches(n)).ToArray(),
        };
        IReadOnlyList<HealthAdvice> advice = HealthAdvisor.Advise(context, out string[] shortAdvice);
        for (int l = 0; l < layers.Length; l++)
        {
            layers[l] = layers[l] with { Advice = shortAdvice[l] };
        }
        return new HealthReport(Layout.Method, _classified.Step, _classified.Loss, _classified.LearningRate, _classified.GlobalNorm, Status,
            layers, sites, DepthProfile, origin, advice, BuildHistory(), Options, actions);
    }

    /// <summary>The median of the first <see cref="HealthThresholds.MinHistory"/> finite classified losses, or NaN.</summary>
    private double StartLossMedian()
    {
        double[] sorted = _startLosses.AsSpan(0, _startLossCount).ToArray();
        Array.Sort(sorted);
        return MedianOfSorted(sorted);
    }

    private LayerHealth DescribeLayer(int l)
    {
        LayerInfo layer = _layers[l];
        double maxAbs = double.NaN;
        bool nonFinite = false;
        foreach (int s in layer.ParameterSites)
        {
            maxAbs = double.IsNaN(maxAbs) ? _reading[s].MaxAbs : Math.Max(maxAbs, _reading[s].MaxAbs);
            nonFinite |= _reading[s].NonFinite > 0;
        }
        // The reading's maximum is over the finite values: with a NaN or ±∞ among them it would show a real-looking
        // number (0 for a gradient that is NaN throughout), so the layer has none.
        if (nonFinite) maxAbs = double.NaN;
        double flagged = double.NaN;
        string flagKind = "";
        if (layer.ActivationSite >= 0 && _reading[layer.ActivationSite].Count > 0)
        {
            flagged = _reading[layer.ActivationSite].Flagged;
            flagKind = layer.ActivationKind == ActivationKind.Relu ? "dead" : "saturated";
        }
        else if (layer.WeightSite >= 0 && _reading[layer.WeightSite].Count > 0)
        {
            flagged = _reading[layer.WeightSite].Zeros;
            flagKind = "zero grads";
        }
        int signal = layer.SignalSite;
        double trend = signal >= 0 ? Trend(_siteHistory[signal]) : double.NaN;
        return new LayerHealth(layer.Depth, layer.Name, layer.File, layer.Line, layer.Activation, layer.InRecurrence,
            layer.ParameterCount, Log10Of(layer.WeightSite), Log10Of(layer.OutputSite), maxAbs,
            signal >= 0 && _reading[signal].NonFinite == 0 ? _reading[signal].Rms : double.NaN, signal >= 0 ? RollingMedian(_siteHistory[signal]) : double.NaN, _layerRatio[l],
            _layerUpdateRatio[l], flagged, flagKind, _layerInitialScale[l], trend, _layerStatus[l], _layerRule[l], "", Trigger(l));
    }

    private TriggerReading? Trigger(int l)
    {
        int s = _layerTrigger[l];
        if (s < 0) return null;
        ProbeSite site = Layout.Sites[s];
        string name = site.Kind == ProbeKind.LayerOutput ? "∂L/∂" + site.Name : "g_" + site.Name;
        SiteReading r = _reading[s];
        bool finite = r.NonFinite == 0; // the finite values' norms would look real
        return new TriggerReading(name, finite ? r.L2 : double.NaN, finite ? r.Rms : double.NaN, _siteMedian[s], r.TimeSteps, r.Earliest, r.Latest, r.MedianTimeRatio, r.Zeros);
    }

    /// <summary>
    /// The reading's own log10, not the classifier's, whose floor at float's -45 stands for 0 in the site histories: a
    /// double method's 3e-100 read -45 in the table, and a gradient of exactly 0 read 1e-45. −∞ for 0, NaN without a
    /// clean reading.
    /// </summary>
    /// <summary>
    /// Whether an entry that names no parameter could be layer <paramref name="l"/>'s weight under another name: one of
    /// its size, or any entry for a stack of run-time depth, whose entries' sizes are not in the layout. A layer left out
    /// of the list on purpose (frozen) beside another method's parameters of other sizes gets no note (helper-94).
    /// </summary>
    private bool CouldBeNamedOtherwise(int l)
    {
        if (_layers[l].AcrossLayers) return true;
        // Generated layouts give tensors a size of 0 (known at run time): the reading's count is the weight's size.
        int site = _layers[l].WeightSite;
        long size = _reading[site].Count > 0 ? _reading[site].Count : Layout.Sites[site].ParameterCount;
        return _parameters!.Any(p => !Matches(p.Name) && (size <= 0 || p.Value.Length == size));
    }

    private double Log10Of(int site) =>
        site < 0 || _reading[site].Count == 0 || _reading[site].NonFinite > 0 ? double.NaN
        : _reading[site].L2 > 0 ? Math.Log10(_reading[site].L2) : double.NegativeInfinity;

    /// <summary>
    /// Change of log10 ‖g‖ per 100 steps, fitted over the rolling window against the steps the readings were taken at
    /// (classified steps are not always <see cref="HealthOptions.RecordEvery"/> apart: Record may be called on probed
    /// steps only, and non-finite steps are classified whenever they come; spacing them evenly read a tenfold trend).
    /// </summary>
    private double Trend(RingBuffer history)
    {
        int n = history.CopyLatest(_medianScratch);
        var steps = new double[n];
        _stepHistory.CopyLatest(steps); // added with every site's reading, so the latest n line up
        return LeastSquares.Slope(steps, _medianScratch.AsSpan(0, n), out _) * 100.0;
    }

    private HealthHistory BuildHistory()
    {
        var steps = new long[_stepHistory.Count];
        var status = new HealthStatus[_statusHistory.Count];
        for (int i = 0; i < steps.Length; i++)
        {
            steps[i] = (long)_stepHistory[i];
            status[i] = (HealthStatus)(int)_statusHistory[i];
        }
        var series = new List<LayerSeries>(_layers.Length);
        foreach (LayerInfo layer in _layers)
        {
            double[] norms = layer.SignalSite >= 0 ? _siteHistory[layer.SignalSite].ToArray() : new double[steps.Length];
            if (layer.SignalSite < 0) norms.AsSpan().Fill(double.NaN);
            series.Add(new LayerSeries(layer.Name, layer.Depth, norms));
        }
        return new HealthHistory(steps, _lossHistory.ToArray(), _globalNormHistory.ToArray(), status, series);
    }
}
