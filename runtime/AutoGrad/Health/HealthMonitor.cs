using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.CompilerServices;
using AutoGrad.Optim;
using AutoGrad.Probes;

namespace AutoGrad.Health;

/// <summary>
/// Watches the gradients of one differentiable method while you train. After each probed gradient call, hand it
/// the <see cref="GradientProbes"/> with <see cref="Record"/>; it classifies every site and layer (OK, VANISHING,
/// EXPLODING, NON-FINITE, SATURATED, DEAD) against absolute thresholds and each site's own rolling history, fits
/// the depth profile, tracks loss spikes, clips and vetoes updates, and on <see cref="Report"/> explains what it saw
/// and what to change. All history lives in ring buffers allocated here, so a steady-state step allocates nothing.
/// </summary>
/// <example>
/// <code>
/// var monitor = new HealthMonitor(Mlp.LossProbeLayout, new HealthOptions { ClipGlobalNorm = 5 });
/// loss = Mlp.LossGradient(..., probes);
/// monitor.Record(step, loss, probes, lr, parameters);
/// if (!monitor.ShouldSkipUpdate) optimizer.Step(lr);
/// </code>
/// </example>
public sealed partial class HealthMonitor
{
    // Layouts of tensor methods carry no sizes; they are read from the first probed step.
    // The site whose rule set each layer's status (-1: a ratio rule, or healthy).
    private readonly int[] _layerTrigger;
    private bool _parametersMeasured;

    /// <summary>
    /// The generation of each probes object's readings this monitor last consumed: readings a gradient call has not
    /// refilled since are an earlier step's. Kept per object, as a training loop may alternate two (one remembered
    /// object let a stale one through after the other was recorded).
    /// </summary>
    private readonly ConditionalWeakTable<GradientProbes, StrongBox<long>> _consumedGeneration = new();
    private readonly LayerInfo[] _layers;
    private readonly HealthThresholds _thresholds;

    // Per site, current step.
    private readonly SiteReading[] _reading;
    private readonly ActivationKind[] _siteActivation;
    private readonly bool[] _secondaryParameter;
    private readonly HealthStatus[] _siteStatus;
    private readonly HealthRule[] _siteRule;

    // The rolling median each site was judged against at the last classified step (before that step joined it), so
    // the report quotes the number the rule compared with.
    private readonly double[] _siteMedian;
    private readonly RingBuffer[] _siteHistory; // log10 ‖g‖ per classified step
    private readonly RingBuffer?[] _timeRatioHistory; // recurrence outputs: log10 of first over last time step's ‖∂L/∂h‖
    private readonly RingBuffer?[] _timeFirstHistory; // recurrence outputs: log10 of the first time step's ‖∂L/∂h‖
    private readonly double[] _medianScratch;

    // Per layer, current step.
    private readonly HealthStatus[] _layerStatus;
    private readonly HealthStatus[] _previousLayerStatus;
    private readonly HealthRule[] _layerRule;
    private readonly double[] _layerRatio;
    private readonly double[] _layerUpdateRatio;
    private readonly double[] _layerInitialScale;
    // Indexes into the bound ParameterList of each layer's weight: one entry, or one per layer of a stack of run-time
    // depth (its site 'w' stands for the entries 'w[0]', 'w[1]', ...); empty when none is bound.
    private readonly int[][] _layerWeightParameters;
    // Per layer: whether its weights were last stepped by an optimizer that scales each element's step (Adam,
    // RMSProp): the spread advice then does not offer one to that layer.
    private readonly bool[] _layerAdaptive;
    // Per layer: its bound weights were all exactly zero at the classified step (the report may come after the
    // optimizer's step, which moves them: helper-96), and at the first binding.
    private readonly bool[] _layerZeroWeights;
    private readonly bool[] _layerInitiallyZero;
    private long _bindingStep = -1;
    private readonly double[] _depthX;
    private readonly double[] _depthY;

    // Per classified step.
    private readonly RingBuffer _stepHistory;
    private readonly RingBuffer _lossHistory;
    private readonly RingBuffer _globalNormHistory;
    private readonly RingBuffer _statusHistory;
    private readonly LossSpikeDetector _lossSpike;

    // The first MinHistory finite classified losses: the starting level the learning-rate advice compares against.
    private readonly double[] _startLosses;
    private int _startLossCount;

    private ParameterList? _parameters;
    private int _parametersVersion = -1;
    // Whether the bound list holds exactly the layout's parameters, so the probes' global norm is the list's: only then
    // does norm clipping use it instead of reading the list's gradients.
    private bool _listIsLayout;

    /// <summary>Creates a monitor for the method whose probe table is <paramref name="layout"/>.</summary>
    /// <param name="layout">The generated <c>{Method}ProbeLayout</c> (or a hand-built one).</param>
    /// <param name="options">Sampling, thresholds and actions; <see langword="null"/> for the defaults.</param>
    public HealthMonitor(ProbeLayout layout, HealthOptions? options = null)
    {
        Layout = layout ?? throw new ArgumentNullException(nameof(layout));
        if (layout.Count == 0) throw new ArgumentException("The layout has no probe sites.", nameof(layout));
        Options = options ?? new HealthOptions();
        Options.Validate();
        _thresholds = Options.Thresholds;
        _layers = LayerInfo.Build(layout);

        int sites = layout.Count, layers = _layers.Length, history = Options.HistoryLength;
        _reading = new SiteReading[sites];
        _siteActivation = new ActivationKind[sites];
        for (int i = 0; i < sites; i++)
        {
            // Leaky ReLU, PReLU, ELU, SELU and SiLU belong to ReLU's family (He initialization), but their units do not
            // die: the dead-unit and zero-gradient rules read only ReLU and GELU as ReLU.
            ActivationKind family = layout.Sites[i].ActivationFamily();
            _siteActivation[i] = family == ActivationKind.Relu && !ProbeSiteExtensions.UnitsCanDie(layout.Sites[i].Activation) ? ActivationKind.None : family;
        }
        _secondaryParameter = new bool[sites];
        MarkSecondaryParameters();
        _siteStatus = new HealthStatus[sites];
        _siteRule = new HealthRule[sites];
        _siteMedian = new double[sites];
        Array.Fill(_siteMedian, double.NaN);
        _siteHistory = new RingBuffer[sites];
        for (int i = 0; i < sites; i++) _siteHistory[i] = new RingBuffer(history);
        _timeRatioHistory = new RingBuffer?[sites];
        _timeFirstHistory = new RingBuffer?[sites];
        for (int i = 0; i < sites; i++)
        {
            if (!layout.Sites[i].InRecurrence || layout.Sites[i].Kind != ProbeKind.LayerOutput) continue;
            _timeRatioHistory[i] = new RingBuffer(history);
            _timeFirstHistory[i] = new RingBuffer(history);
        }
        _medianScratch = new double[Math.Min(_thresholds.RollingWindow, history)];

        _layerStatus = new HealthStatus[layers];
        _previousLayerStatus = new HealthStatus[layers];
        _layerRule = new HealthRule[layers];
        _layerTrigger = new int[layers];
        _layerRatio = new double[layers];
        _layerUpdateRatio = new double[layers];
        _layerAdaptive = new bool[layers];
        _layerZeroWeights = new bool[layers];
        _layerInitiallyZero = new bool[layers];
        _layerInitialScale = new double[layers];
        _layerWeightParameters = new int[layers][];
        _depthX = new double[layers];
        _depthY = new double[layers];
        _layerUpdateRatio.AsSpan().Fill(double.NaN);
        _layerInitialScale.AsSpan().Fill(double.NaN);
        _layerWeightParameters.AsSpan().Fill([]);

        _stepHistory = new RingBuffer(history);
        _lossHistory = new RingBuffer(history);
        _globalNormHistory = new RingBuffer(history);
        _statusHistory = new RingBuffer(history);
        _startLosses = new double[_thresholds.MinHistory];
        _lossSpike = new LossSpikeDetector(_thresholds.LossWindow, _thresholds.LossSpikeFactor, _thresholds.LossSpikePatience);
    }

    /// <summary>Raised when a layer's status or the step's status changes (only then, so steady steps allocate nothing).</summary>
    public event EventHandler<HealthStatusChangedEventArgs>? StatusChanged;

    /// <summary>Raised once when <see cref="ShouldStop"/> turns on.</summary>
    public event EventHandler? StopRequested;

    /// <summary>The probe table this monitor reads.</summary>
    public ProbeLayout Layout { get; }

    /// <summary>The options in force.</summary>
    public HealthOptions Options { get; }

    /// <summary>When set, one JSON line is written per classified step.</summary>
    public HealthJsonLinesWriter? JsonLines { get; set; }

    /// <summary>The step of the last <see cref="Record"/>.</summary>
    public long Step { get; private set; } = -1;

    /// <summary>The loss of the last <see cref="Record"/>.</summary>
    public double Loss { get; private set; } = double.NaN;

    /// <summary>The learning rate of the last <see cref="Record"/>.</summary>
    public double LearningRate { get; private set; } = double.NaN;

    /// <summary>The global gradient norm of the last step (parameter sites, non-finite values excluded), before clipping.</summary>
    public double GlobalNorm { get; private set; } = double.NaN;

    /// <summary>The factor clipping by global norm scaled the last step's gradients by (1 when it did not).</summary>
    public double ClipScale { get; private set; } = 1;

    /// <summary>How many of the last step's gradient values clipping by value clamped.</summary>
    public long ClippedValues { get; private set; }

    /// <summary>The worst layer status of the last classified step.</summary>
    public HealthStatus Status { get; private set; }

    /// <summary>True when the last step's loss or gradients were non-finite and <see cref="HealthOptions.SkipNonFiniteUpdates"/>
    /// is on: leave the weights alone this step.</summary>
    public bool ShouldSkipUpdate { get; private set; }

    /// <summary>True after <see cref="HealthOptions.StopAfterNonFiniteSteps"/> consecutive non-finite steps.</summary>
    public bool ShouldStop { get; private set; }

    /// <summary>How many steps in a row were non-finite.</summary>
    public int ConsecutiveNonFiniteSteps { get; private set; }

    /// <summary>True while llm-foundry's loss-spike rule holds (see <see cref="HealthThresholds.LossSpikeFactor"/>).</summary>
    public bool IsLossSpiking => _lossSpike.IsSpiking;

    /// <summary>The depth profile of the last classified step.</summary>
    public DepthProfile DepthProfile { get; private set; }

    /// <summary>How many steps have been classified.</summary>
    public long ClassifiedSteps { get; private set; }

    /// <summary>The number of layers (distinct depths) in the layout.</summary>
    public int LayerCount => _layers.Length;

    /// <summary>The status of layer <paramref name="layer"/> (in depth order) at the last classified step.</summary>
    public HealthStatus LayerStatus(int layer) => _layerStatus[layer];

    /// <summary>The rule behind layer <paramref name="layer"/>'s status at the last classified step.</summary>
    public HealthRule LayerRule(int layer) => _layerRule[layer];

    /// <summary>The status of probe site <paramref name="site"/> at the last classified step.</summary>
    public HealthStatus SiteStatus(int site) => _siteStatus[site];

    /// <summary>True when <paramref name="step"/> will be classified (every <see cref="HealthOptions.RecordEvery"/>-th step).</summary>
    public bool IsDue(long step) => step % Options.RecordEvery == 0;

    /// <summary>
    /// Consumes one step's readings. Every step: checks for non-finite values, decides
    /// <see cref="ShouldSkipUpdate"/>/<see cref="ShouldStop"/>, clips (when configured: clipping needs
    /// <paramref name="parameters"/>, and throws <see cref="ArgumentNullException"/> without them) and tracks loss spikes. Every k-th step, and on any non-finite step:
    /// classifies sites and layers, updates the histories, raises <see cref="StatusChanged"/>, writes a JSON line.
    /// </summary>
    /// <param name="step">The step number (from 0, non-decreasing).</param>
    /// <param name="loss">The loss the gradient call returned.</param>
    /// <param name="probes">The readings the gradient call wrote; its layout must be this monitor's.</param>
    /// <param name="learningRate">The learning rate this step's update will use (for advice).</param>
    /// <param name="parameters">The parameters and gradients: enables clipping, n_in·Var(W) and update ratios.</param>
    /// <returns>The step's status (the last classified status on steps that are not due).</returns>
    public HealthStatus Record(long step, double loss, GradientProbes probes, double learningRate, ParameterList? parameters = null)
    {
        ArgumentNullException.ThrowIfNull(probes);
        if (!probes.Layout.SameSitesAs(Layout))
        {
            throw new ArgumentException(
                $"The probes were made for '{probes.Layout.Method}' ({probes.Layout.Count} sites) but this monitor watches " +
                $"'{Layout.Method}' ({Layout.Count} sites).", nameof(probes));
        }
        if (step < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, "Step numbers start at 0 (the first step of a run).");
        }
        if (step < Step)
        {
            // Histories, trends and the stale-readings guard are ordered by step.
            throw new ArgumentOutOfRangeException(nameof(step), step,
                $"Step numbers must not decrease: the last step recorded was {Step}. Use a new HealthMonitor for a new run.");
        }
        if (probes.Generation == 0)
        {
            // All zeros: the step would read OK with a global norm of 0, and clipping would silently do nothing.
            throw new InvalidOperationException(
                $"Step {step}: the probes hold no readings; no gradient call has filled them. Pass them to this step's " +
                $"gradient call ('{Layout.Method}Gradient(..., probes)') before Record.");
        }
        StrongBox<long> consumed = _consumedGeneration.GetValue(probes, static _ => new StrongBox<long>(0));
        if (probes.Generation == consumed.Value)
        {
            // Clipping by an earlier step's norm, and a status of an earlier step's gradients, would be silently wrong.
            throw new InvalidOperationException(
                $"Step {step}: the probes still hold the readings of an earlier step. Pass them to this step's gradient " +
                $"call ('{Layout.Method}Gradient(..., probes)') before Record, or call Record only on steps whose gradient was probed.");
        }
        if (parameters is null && (Options.ClipGlobalNorm is not null || Options.ClipValue is not null))
        {
            // Without the gradients there is nothing to clip, and the options say the caller relies on it.
            throw new ArgumentNullException(nameof(parameters),
                "The options ask for clipping, which rescales the gradients: pass the ParameterList to Record.");
        }
        consumed.Value = probes.Generation;
        Step = step;
        Loss = loss;
        LearningRate = learningRate;
        if (parameters is not null) Bind(parameters);

        double squared = probes.GlobalSquaredNorm();
        GlobalNorm = Math.Sqrt(squared);
        bool nonFinite = !double.IsFinite(loss) || !double.IsFinite(squared) || AnyNonFinite(probes);
        ConsecutiveNonFiniteSteps = nonFinite ? ConsecutiveNonFiniteSteps + 1 : 0;
        ShouldSkipUpdate = nonFinite && Options.SkipNonFiniteUpdates;
        ClippedValues = 0;
        // Value clipping runs on non-finite steps too, as PyTorch's clip_grad_value_ does (±∞ clamped; NaN stays);
        // scaling by a non-finite norm does nothing.
        ClipScale = parameters is null ? 1 : Clip(parameters, nonFinite);
        _lossSpike.Observe(loss);

        if (!_parametersMeasured)
        {
            foreach (LayerInfo layer in _layers) layer.MeasureParameters(probes);
            MarkSecondaryParameters(); // the weight site may have moved to the largest parameter
            _parametersMeasured = true;
        }
        // Decided before the JSON line is written, which reports it (it was written a step late).
        bool stop = Options.StopAfterNonFiniteSteps > 0 && ConsecutiveNonFiniteSteps >= Options.StopAfterNonFiniteSteps;
        bool stopTurnedOn = stop && !ShouldStop;
        ShouldStop = stop;
        if (IsDue(step) || nonFinite)
        {
            Classify(probes, loss);
            JsonLines?.Write(this);
        }
        if (stopTurnedOn)
        {
            StopRequested?.Invoke(this, EventArgs.Empty);
        }
        return Status;
    }

    /// <summary>
    /// A layer's parameters besides its weight (its bias) are secondary: judged only for non-finite and exploding
    /// values, as a bias's gradient is small by nature. Only in a network's layers (a layout with layer outputs or
    /// activations): the parameters of a scalar method share depth 0 without being weight and bias, and each is judged
    /// on its own (all but one had been secondary, so a vanishing or dead parameter read OK depending on its order).
    /// </summary>
    private void MarkSecondaryParameters()
    {
        bool network = Layout.Sites.Any(s => s.Kind is ProbeKind.LayerOutput or ProbeKind.Activation);
        foreach (LayerInfo layer in _layers)
        {
            foreach (int p in layer.ParameterSites) _secondaryParameter[p] = network && p != layer.WeightSite;
        }
    }

    private bool AnyNonFinite(GradientProbes probes)
    {
        for (int i = 0; i < Layout.Count; i++)
        {
            if (probes.NonFiniteCount(i) > 0) return true;
        }
        return probes.FirstNonFiniteSite >= 0;
    }

    private double Clip(ParameterList parameters, bool nonFinite)
    {
        double scale = 1;
        if (Options.ClipGlobalNorm is { } maxNorm && !nonFinite)
        {
            // The probes' norm covers the layout's parameters (an input not marked [NoGrad] too); a list of other
            // tensors is scaled by its own norm, as clip_grad_norm_ would (it over-clipped a list without the input
            // by the input's share, and left the input unscaled).
            double norm = _listIsLayout ? GlobalNorm : GradientClipping.GlobalNorm(parameters);
            scale = GradientClipping.ClipByGlobalNorm(parameters, norm, maxNorm);
        }
        if (Options.ClipValue is { } limit)
        {
            ClippedValues = GradientClipping.ClipByValue(parameters, limit);
        }
        return scale;
    }

    /// <summary>
    /// The entries of <paramref name="parameters"/> a weight site reads: the one of its name, or else, for the site of
    /// a stack of run-time depth (<paramref name="acrossLayers"/>: a <c>Tensor[]</c> read at the loop's counter), every
    /// entry <c>name[k]</c>. Other sites named after a <c>Tensor[]</c> pool entries read in different places (<c>w[0]</c>
    /// before a loop over the rest): no layer's statistics describe them.
    /// </summary>
    private static int[] WeightEntries(ParameterList parameters, string name, bool acrossLayers)
    {
        var entries = new List<int>();
        for (int p = 0; p < parameters.Count; p++)
        {
            if (parameters[p].Name == name) return [p];
            string entry = parameters[p].Name;
            if (acrossLayers && entry.Length > name.Length + 2 && entry.StartsWith(name, StringComparison.Ordinal) && entry[name.Length] == '[' &&
                entry[^1] == ']' && int.TryParse(entry.AsSpan(name.Length + 1, entry.Length - name.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                entries.Add(p);
            }
        }
        return entries.ToArray();
    }

    /// <summary>
    /// Whether the entries of <paramref name="parameters"/> are the layout's parameter sites one for one, by name. An
    /// entry <c>w[k]</c> of a stack of run-time depth's site <c>w</c> is not: how many entries a run used is not in the
    /// layout (a list of two of its three layers, or with an unused fourth, was clipped by a norm over other tensors).
    /// </summary>
    private bool ListIsLayout(ParameterList parameters)
    {
        var covered = new HashSet<int>();
        foreach (Parameter p in parameters)
        {
            int site = Layout.IndexOf(p.Name, ProbeKind.Parameter);
            if (site < 0 || !covered.Add(site)) return false;
        }
        return Layout.Sites.Count(s => s.Kind == ProbeKind.Parameter) == covered.Count;
    }

    /// <summary>
    /// The parameter an entry's name differs from only in case, when that parameter has no entry of its own (beside
    /// 'w1', a 'W1' is another tensor; helper-94), or null. A method of its own: a lambda capturing the list in
    /// <see cref="Bind"/> allocated its closure on every call, the early return included.
    /// </summary>
    private string? MisspelledParameter(ParameterList parameters, string entry)
    {
        string written = BaseName(entry), suffix = entry.Substring(written.Length);
        foreach (ProbeSite site in Layout.Sites)
        {
            if (site.Kind != ProbeKind.Parameter || site.Name == written || !string.Equals(site.Name, written, StringComparison.OrdinalIgnoreCase)) continue;
            // A stack's entry 'W[2]' is a misspelling unless 'w[2]' is there too (helper-96); any other is one only while
            // the parameter has no entry of its own ('W1[0]' beside 'w1', or a shared list's 'w[0]' beside 'W', are
            // another method's: helper-98).
            bool spelled = site.AcrossLayers && suffix.Length > 0
                ? parameters.Any(other => other.Name == site.Name + suffix)
                : parameters.Any(other => BaseName(other.Name) == site.Name);
            if (!spelled) return site.Name;
        }
        return null;
    }

    /// <summary>Whether the bound entries <paramref name="entries"/> hold only exact zeros (none: false). Stops at the
    /// first non-zero value, so live weights cost a few reads.</summary>
    private bool AllZero(int[] entries)
    {
        if (entries.Length == 0) return false;
        foreach (int p in entries)
        {
            if (_parameters![p].Value.Span.IndexOfAnyExcept(0f) >= 0) return false;
        }
        return true;
    }

    /// <summary>Whether an entry's name is a parameter site's, or <c>w[k]</c> for a site <c>w</c>.</summary>
    private bool Matches(string name) =>
        Layout.IndexOf(name, ProbeKind.Parameter) >= 0 || name != BaseName(name) && Layout.IndexOf(BaseName(name), ProbeKind.Parameter) >= 0;

    /// <summary><c>w</c> for <c>w[3]</c>; the name itself otherwise.</summary>
    private static string BaseName(string name)
    {
        int bracket = name.IndexOf('[');
        return bracket > 0 ? name.Substring(0, bracket) : name;
    }

    /// <summary>A site's name as list entries spell it: <c>w</c>, or for a stack of run-time depth's Tensor[]
    /// <c>w[0], w[1], …</c> (named <c>w</c> each, the entries collided in the list).</summary>
    private static string SiteEntryNames(ProbeSite site) =>
        site.AcrossLayers ? $"{site.Name} (a Tensor[]: entries {site.Name}[0], {site.Name}[1], …)" : site.Name;

    /// <summary>At most eight names, then how many there are in all: enough for a message to show what it means.</summary>
    private static string Abbreviated(IEnumerable<string> names)
    {
        var all = names.ToList();
        return string.Join(", ", all.Count <= 8 ? all : all.Take(8).Append($"… ({all.Count} in all)"));
    }

    /// <summary>Maps each layer's weight site to its parameter by name; runs again only when the list changes.</summary>
    private void Bind(ParameterList parameters)
    {
        if (ReferenceEquals(parameters, _parameters) && parameters.Version == _parametersVersion)
        {
            return;
        }
        // A list none of whose names the layout has pairs no weights with their layer: the update ratios and the init
        // advice would silently be missing (new ParameterList(pairs) names its entries p0, p1, ...). A list may hold
        // parameters other methods use, and a Tensor[] in a loop bounded at run time has one site ('w') for entries
        // 'w[0]', 'w[1]', ...: so one known name is enough.
        bool any = parameters.Count == 0;
        foreach (Parameter entry in parameters)
        {
            if (Matches(entry.Name))
            {
                any = true;
                continue;
            }
            // A name that differs from a parameter's only in case is a misspelling, not another method's parameter:
            // that layer's readings (update ratio, init advice) were silently missing ('W2' for 'w2').
            string? meant = MisspelledParameter(parameters, entry.Name);
            if (meant is not null)
            {
                throw new ArgumentException(
                    $"The ParameterList's entry '{entry.Name}' is no parameter of '{Layout.Method}', whose parameter '{meant}' differs from it " +
                    "only in case; name the entry exactly as the parameter (names are case-sensitive), so that the monitor can pair its " +
                    "weights with their layer.", nameof(parameters));
            }
        }
        if (!any)
        {
            throw new ArgumentException(
                $"None of the ParameterList's names ({Abbreviated(parameters.Select(p => p.Name))}) is a parameter of '{Layout.Method}', whose " +
                $"parameters are {Abbreviated(Layout.Sites.Where(s => s.Kind == ProbeKind.Parameter).Select(SiteEntryNames))}; name each entry as the method's parameter, so that the " +
                "monitor can pair its weights with their layer.", nameof(parameters));
        }
        _parameters = parameters;
        _parametersVersion = parameters.Version;
        _listIsLayout = ListIsLayout(parameters);
        for (int l = 0; l < _layers.Length; l++)
        {
            int site = _layers[l].WeightSite;
            _layerWeightParameters[l] = site >= 0 ? WeightEntries(parameters, Layout.Sites[site].Name, _layers[l].AcrossLayers) : [];
            if (double.IsNaN(_layerInitialScale[l]) && _layerWeightParameters[l].Length > 0)
            {
                _layerInitiallyZero[l] = AllZero(_layerWeightParameters[l]);
                if (_bindingStep < 0) _bindingStep = Step;
                // The first weights we see are the initialization, which is what the advice is about. A stack's layers
                // are usually initialized alike; the geometric mean of their scales (a log-scale quantity, judged by a
                // factor band) stands for them, and a single layer initialized differently can hide in it.
                var mean = new GeometricMean();
                foreach (int p in _layerWeightParameters[l]) mean.Add(WeightStatistics.InitScale(parameters[p].Value, Layout.Sites[site].FanInAxis));
                _layerInitialScale[l] = _layerWeightParameters[l].Length == 1
                    ? WeightStatistics.InitScale(parameters[_layerWeightParameters[l][0]].Value, Layout.Sites[site].FanInAxis)
                    : mean.Value;
            }
        }
    }
}
