using System;
using AutoGrad.Probes;
using AutoGrad.Optim;

namespace AutoGrad.Health;

public sealed partial class HealthMonitor
{
    // The first non-finite site of the last classified step (forward order) and what the probes said about it.
    private int _nonFiniteSite = -1;
    private bool _nonFiniteReportedByOp;
    private bool _nonFiniteInputsFinite;

    // Read-only views of the current step for the JSON Lines writer (same assembly, no copies).
    internal LayerInfo[] LayerInfos => _layers;
    internal ReadOnlySpan<SiteReading> Readings => _reading;
    internal ReadOnlySpan<HealthStatus> SiteStatuses => _siteStatus;
    internal ReadOnlySpan<HealthStatus> LayerStatuses => _layerStatus;
    internal ReadOnlySpan<HealthRule> LayerRules => _layerRule;
    internal ReadOnlySpan<double> LayerRatios => _layerRatio;
    internal ReadOnlySpan<double> LayerUpdateRatios => _layerUpdateRatio;
    internal int NonFiniteSite => _nonFiniteSite;
    internal bool NonFiniteReportedByOp => _nonFiniteReportedByOp;
    internal bool NonFiniteInputsFinite => _nonFiniteInputsFinite;

    /// <summary>The global norm of the last classified step: NaN when a parameter's gradient held a non-finite value
    /// (the norm of its finite values is no norm of the gradient).</summary>
    internal double ClassifiedGlobalNorm => _classified.GlobalNorm;

    private bool ParameterGradientsFinite(GradientProbes probes)
    {
        for (int i = 0; i < Layout.Count; i++)
        {
            if (Layout.Sites[i].Kind == ProbeKind.Parameter && probes.NonFiniteCount(i) > 0) return false;
        }
        return true;
    }

    private void Classify(GradientProbes probes, double loss)
    {
        ClassifiedSteps++;
        // Before the layers are classified, which raises StatusChanged: a handler's Report() describes this step.
        _classified = (Step, loss, LearningRate, ParameterGradientsFinite(probes) ? GlobalNorm : double.NaN);
        ClassifySites(probes);
        ReclassifySparseInputWeights();
        ClassifyLayers();
        HealthStatus previous = Status;
        HealthStatus status = HealthStatus.Ok;
        foreach (HealthStatus s in _layerStatus) status = status.Worst(s);
        HealthRule rule = HealthRule.None;
        if (!double.IsFinite(loss))
        {
            status = HealthStatus.NonFinite;
            rule = HealthRule.NonFiniteLoss;
        }
        Status = status;
        LocateNonFinite(probes);
        DepthProfile = FitDepth();

        _stepHistory.Add(Step);
        _lossHistory.Add(loss);
        if (double.IsFinite(loss) && _startLossCount < _startLosses.Length) _startLosses[_startLossCount++] = loss;
        _globalNormHistory.Add(_classified.GlobalNorm); // NaN, as in the header and the JSON line, when a gradient was not finite
        _statusHistory.Add((double)status);
        if (status != previous)
        {
            StatusChanged?.Invoke(this, new HealthStatusChangedEventArgs(Step, "step", -1, previous, status, rule == HealthRule.None ? WorstRule() : rule));
        }
    }

    private void ClassifySites(GradientProbes probes)
    {
        for (int i = 0; i < Layout.Count; i++)
        {
            ProbeSite site = Layout.Sites[i];
            // A layer output inside a recurrence is recorded once per time step, last step first (the backward pass
            // runs in reverse): its first and last records are the adjoints at the last and the first time step.
            bool overTime = site.InRecurrence && site.Kind == ProbeKind.LayerOutput && probes.RecordCount(i) >= 2;
            var r = new SiteReading(probes.L2(i), probes.Rms(i), probes.MaxAbs(i), probes.NonFiniteCount(i),
                probes.Count(i), probes.FlaggedFraction(i), probes.ZeroFraction(i),
                overTime ? probes.RecordCount(i) : 0,
                overTime ? probes.LastRecordL2(i) : double.NaN,
                overTime ? probes.FirstRecordL2(i) : double.NaN);
            _reading[i] = r;
            RingBuffer history = _siteHistory[i];
            double median = RollingMedian(history);
            _siteMedian[i] = median;
            (_siteStatus[i], _siteRule[i]) = HealthClassifier.ClassifySite(r, site.Kind, _siteActivation[i], median, _thresholds, _secondaryParameter[i]);
            // A first time step read as exactly 0 is a gradient that faded completely, not a missing reading.
            if (overTime && r.NonFinite == 0 && r.Earliest >= 0 && r.Latest > 0)
            {
                _reading[i] = r = r with { MedianTimeRatio = ClassifyThroughTime(i, r) };
            }
            // Every classified step adds one entry, so site histories stay aligned with the step history; unclean or
            // missing readings go in as NaN, which the median and the charts skip, so one bad step moves no baseline.
            bool clean = site.Kind != ProbeKind.Activation && r.NonFinite == 0 && r.Count > 0;
            history.Add(clean ? HealthClassifier.Log10(r.L2) : double.NaN);
        }
    }

    /// <summary>
    /// A ReLU layer's weight gradient is mostly zeros when its units die (a dead unit zeroes its row of dW) and when its
    /// input is sparse (a zero input zeroes its column: one-hot inputs, or at batch 1 the zeros of the ReLU below, with
    /// half the layer's own units inactive for that one example, about 75% in all). The zero fraction alone cannot tell
    /// them apart, and neither can one other reading alone: the activation site counts a tensor's rows as examples,
    /// which a features-first layer ('MatMul(w, x)', [units, batch]) has its units in, and a bias's gradient is 0 for a
    /// dead unit only when no other layer reads the same bias (a shared parameter has one site, at its first layer).
    /// So the zeros count as sparse input only when both say so: fewer than <see cref="HealthThresholds.DeadFraction"/>
    /// of the bias gradient's values are 0 and of the activation site's units are dead. A layer without either (no
    /// bias; GELU, whose units die only far below zero and which has no unit count) keeps the zero-fraction rule.
    /// </summary>
    private void ReclassifySparseInputWeights()
    {
        foreach (LayerInfo layer in _layers)
        {
            int w = layer.WeightSite;
            if (w < 0 || _siteRule[w] != HealthRule.ZeroGradients || _reading[w].Zeros >= 1) continue;
            if (!(BiasZeroFraction(layer) < _thresholds.DeadFraction)) continue; // no bias (NaN), or most units dead
            int a = layer.ActivationSite;
            if (a < 0 || _reading[a].Count == 0 || _siteActivation[a] != ActivationKind.Relu || !(_reading[a].Flagged < _thresholds.DeadFraction)) continue;
            // Judged as a weight whose units cannot die: only a gradient that is 0 everywhere would be DEAD.
            (_siteStatus[w], _siteRule[w]) = HealthClassifier.ClassifySite(_reading[w], ProbeKind.Parameter, ActivationKind.None, _siteMedian[w], _thresholds);
        }
    }

    /// <summary>
    /// The largest exact-zero fraction of the layer's bias gradients (its parameters besides the weight with fewer
    /// values, a whole number of the weight's each), or NaN when it has none that read.
    /// </summary>
    private double BiasZeroFraction(LayerInfo layer)
    {
        double fraction = double.NaN;
        SiteReading weight = _reading[layer.WeightSite];
        foreach (int p in layer.ParameterSites)
        {
            SiteReading bias = _reading[p];
            if (p == layer.WeightSite || bias.Count == 0 || bias.NonFinite > 0 || bias.Count >= weight.Count) continue;
            // A stack of run-time depth pools its layers' readings, whose sums need not divide.
            if (!layer.InRecurrence && weight.Count % bias.Count != 0) continue;
            fraction = double.IsNaN(fraction) ? bias.Zeros : Math.Max(fraction, bias.Zeros);
        }
        return fraction;
    }

    /// <summary>
    /// Judges a recurrence output's gradient across time steps. Growth is judged on this step, as every explosion is;
    /// fading, a chronic condition whose per-batch ratio scatters over orders of magnitude, on the rolling median of
    /// the ratio and of the first step's norm, so one batch does not flip the status.
    /// </summary>
    /// <returns>The rolling median of the first over the last time step's norm (NaN until enough history).</returns>
    private double ClassifyThroughTime(int i, SiteReading r)
    {
        RingBuffer ratios = _timeRatioHistory[i]!, firsts = _timeFirstHistory[i]!;
        ratios.Add(Math.Log10(r.TimeRatio));
        firsts.Add(Math.Log10(r.Earliest));
        double medianRatio = RollingMedian(ratios), medianFirst = RollingMedian(firsts);
        (HealthStatus status, HealthRule rule) = HealthClassifier.ClassifyThroughTime(r.Earliest, r.Latest, _thresholds);
        if (status != HealthStatus.Exploding && !double.IsNaN(medianRatio))
        {
            (status, rule) = HealthClassifier.ClassifyThroughTimeLog10(medianFirst, medianRatio, _thresholds);
            if (status == HealthStatus.Exploding) (status, rule) = (HealthStatus.Ok, HealthRule.None);
        }
        if (status > _siteStatus[i]) (_siteStatus[i], _siteRule[i]) = (status, rule);
        return double.IsNaN(medianRatio) ? double.NaN : Math.Pow(10, medianRatio);
    }

    private void ClassifyLayers()
    {
        int last = LastLayerWithSignal();
        double lastNorm = last >= 0 ? _reading[_layers[last].SignalSite].L2 : double.NaN;
        for (int l = 0; l < _layers.Length; l++)
        {
            LayerInfo layer = _layers[l];
            HealthStatus status = HealthStatus.Ok;
            HealthRule rule = HealthRule.None;
            int trigger = -1;
            foreach (int s in layer.Sites)
            {
                if (_siteStatus[s] > status)
                {
                    status = _siteStatus[s];
                    rule = _siteRule[s];
                    trigger = s;
                }
            }
            int signal = layer.SignalSite;
            double norm = signal >= 0 ? _reading[signal].L2 : double.NaN;
            // A norm of the finite values only, when some were not, is no ratio to report (it read 0 for an all-NaN layer).
            _layerRatio[l] = signal >= 0 && _reading[signal].NonFinite > 0 ? double.NaN : norm / lastNorm;
            (HealthStatus ratioStatus, HealthRule ratioRule) = HealthClassifier.ClassifyRatio(norm, lastNorm, _thresholds);
            if (ratioStatus > status)
            {
                status = ratioStatus;
                rule = ratioRule;
                trigger = -1;
            }
            _layerTrigger[l] = trigger;
            _layerUpdateRatio[l] = UpdateRatio(_layerWeightParameters[l]);
            _layerAdaptive[l] = SteppedAdaptively(_layerWeightParameters[l]);
            _layerZeroWeights[l] = _parameters is not null && AllZero(_layerWeightParameters[l]);
            _previousLayerStatus[l] = _layerStatus[l];
            _layerStatus[l] = status;
            _layerRule[l] = rule;
        }
        ReclassifyUnderflowedLayers();
        for (int l = 0; l < _layers.Length; l++)
        {
            if (_layerStatus[l] != _previousLayerStatus[l])
            {
                StatusChanged?.Invoke(this, new HealthStatusChangedEventArgs(Step, _layers[l].Name, _layers[l].Depth, _previousLayerStatus[l], _layerStatus[l], _layerRule[l]));
            }
        }
    }

    /// <summary>Whether some of a layer's weight entries have been stepped and every stepped one by an adaptive optimizer.</summary>
    private bool SteppedAdaptively(int[] entries)
    {
        bool any = false;
        foreach (int p in entries)
        {
            Parameter parameter = _parameters![p];
            if (double.IsNaN(parameter.UpdateRatio)) continue;
            if (!parameter.SteppedAdaptively) return false;
            any = true;
        }
        return any;
    }

    /// <summary>
    /// ‖ΔW‖/‖W‖ of a layer's weight at the last optimizer step; for a stack of run-time depth, the
    /// <see cref="GeometricMean"/> over its layers.
    /// </summary>
    private double UpdateRatio(int[] entries)
    {
        if (entries.Length == 1) return _parameters![entries[0]].UpdateRatio;
        var mean = new GeometricMean();
        foreach (int p in entries) mean.Add(_parameters![p].UpdateRatio);
        return mean.Value;
    }

    /// <summary>
    /// A layer whose weight gradient is 0 everywhere reads DEAD (no path to the loss), but below a VANISHING layer whose
    /// readings are already near float32's smallest values it is the same fading gone past them (a 30-layer sigmoid
    /// stack's first seven layers read exactly 0 under 21 layers at 1e-45, and were sent looking for a disconnected
    /// input). Such a layer, and each like it under it, is VANISHING by the RMS floor its gradient of 0 is below. Only
    /// when everything the layer reads is 0 or as tiny: a layer with an input of zeros still has a bias gradient and a
    /// ∂L/∂h, and a ReLU layer whose units are dead says so at its activation site; those stay DEAD.
    /// </summary>
    private void ReclassifyUnderflowedLayers()
    {
        for (int l = _layers.Length - 2; l >= 0; l--)
        {
            int trigger = _layerTrigger[l];
            if (_layerStatus[l] != HealthStatus.Dead || _layerRule[l] != HealthRule.ZeroGradients || trigger < 0 || _reading[trigger].Zeros < 1) continue;
            if (_layerStatus[l + 1] != HealthStatus.Vanishing || !AllNearUnderflow(l + 1) || !AllNearUnderflow(l)) continue;
            _layerStatus[l] = HealthStatus.Vanishing;
            _layerRule[l] = HealthRule.RmsBelowFloor;
            _siteStatus[trigger] = HealthStatus.Vanishing;
            _siteRule[trigger] = HealthRule.RmsBelowFloor;
        }
    }

    /// <summary>Below this a gradient norm is within a few decades of float32's smallest (normal 1.2e-38).</summary>
    private const double NearUnderflowNorm = 1e-30;

    /// <summary>True when every gradient reading of the layer is below <see cref="NearUnderflowNorm"/> (or 0) and none
    /// of its activation sites reads dead units.</summary>
    private bool AllNearUnderflow(int layer)
    {
        foreach (int s in _layers[layer].Sites)
        {
            SiteReading r = _reading[s];
            if (r.Count == 0) continue;
            if (Layout.Sites[s].Kind == ProbeKind.Activation)
            {
                if (_siteStatus[s] == HealthStatus.Dead) return false;
                continue;
            }
            if (!(r.L2 < NearUnderflowNorm)) return false;
        }
        return true;
    }

    private int LastLayerWithSignal()
    {
        for (int l = _layers.Length - 1; l >= 0; l--)
        {
            int s = _layers[l].SignalSite;
            if (s >= 0 && _reading[s].Count > 0 && _reading[s].NonFinite == 0) return l;
        }
        return -1;
    }

    private HealthRule WorstRule()
    {
        HealthRule rule = HealthRule.None;
        HealthStatus worst = HealthStatus.Ok;
        for (int l = 0; l < _layers.Length; l++)
        {
            if (_layerStatus[l] > worst)
            {
                worst = _layerStatus[l];
                rule = _layerRule[l];
            }
        }
        return rule;
    }

    /// <summary>The median of the finite log10 norms among the last <see cref="HealthThresholds.RollingWindow"/>
    /// entries, or NaN when fewer than <see cref="HealthThresholds.MinHistory"/> of them are finite.</summary>
    private double RollingMedian(RingBuffer history)
    {
        int copied = history.CopyLatest(_medianScratch);
        int n = 0;
        for (int i = 0; i < copied; i++)
        {
            if (!double.IsNaN(_medianScratch[i])) _medianScratch[n++] = _medianScratch[i];
        }
        if (n < _thresholds.MinHistory)
        {
            return double.NaN;
        }
        Span<double> window = _medianScratch.AsSpan(0, n);
        window.Sort();
        return MedianOfSorted(window);
    }

    private static double MedianOfSorted(ReadOnlySpan<double> sorted)
    {
        int n = sorted.Length;
        return n == 0 ? double.NaN : n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }

    /// <summary>
    /// The op the probes named as the first non-finite one; failing that, the last site in forward order whose gradient
    /// held NaN/∞: the backward pass runs from the output toward the input, so that is the first it produced, and every
    /// site before it only received it (naming the earliest had named the input layer, the last place it reached).
    /// </summary>
    private void LocateNonFinite(GradientProbes probes)
    {
        _nonFiniteSite = probes.FirstNonFiniteSite;
        _nonFiniteReportedByOp = _nonFiniteSite >= 0;
        _nonFiniteInputsFinite = probes.FirstNonFiniteInputsFinite;
        for (int i = Layout.Count - 1; i >= 0 && _nonFiniteSite < 0; i--)
        {
            if (_reading[i].NonFinite > 0) _nonFiniteSite = i;
        }
    }

    /// <summary>Least squares on log10 ‖∂L/∂h‖ by depth, or on the weight gradients when no layer has an output site.</summary>
    private DepthProfile FitDepth()
    {
        // A layer in a loop of run-time length reads one site for all its iterations (a recurrence's time steps, a
        // stack's layers), pooled: no one layer's norm, so it is left out of the fit (review helper-93: a healthy
        // 16-layer stack read ×4.1 per layer, fitting the pooled stack against its output layer, where it is ×1.08).
        // Nor can layers on the two sides of such a loop share a fit: the loop's iterations sit at one depth, so the
        // depths would not count them (an 8-layer stack between unrolled layers read ×0.0076 per layer for ×0.32).
        // Only the layers after the last loop, toward the output, are fitted.
        int lastLoop = int.MinValue;
        foreach (LayerInfo layer in _layers) if (layer.InRecurrence) lastLoop = Math.Max(lastLoop, layer.Depth);
        int outputs = 0;
        foreach (LayerInfo layer in _layers) outputs += layer.OutputSite >= 0 && layer.Depth > lastLoop ? 1 : 0;
        bool useOutputs = outputs >= 2;
        int n = 0;
        foreach (LayerInfo layer in _layers)
        {
            if (layer.Depth <= lastLoop) continue;
            int site = useOutputs ? layer.OutputSite : layer.WeightSite;
            if (site < 0 || _reading[site].Count == 0 || _reading[site].NonFinite > 0 || !(_reading[site].L2 > 0)) continue;
            _depthX[n] = layer.Depth;
            _depthY[n] = Math.Log10(_reading[site].L2);
            n++;
        }
        return DepthProfile.Fit(_depthX.AsSpan(0, n), _depthY.AsSpan(0, n),
            useOutputs ? DepthProfileSource.LayerOutputs : DepthProfileSource.ParameterGradients);
    }
}
