using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace AutoGrad.Health;

/// <summary>
/// A snapshot of what the monitor knows at one step: per-layer rows, per-site readings, the depth profile, the
/// non-finite origin, advice and the kept history. Built by <see cref="HealthMonitor.Report"/>; renderers (console
/// table, SVG, HTML in AutoGrad.Reports) read only this.
/// </summary>
public sealed class HealthReport
{
    internal HealthReport(string method, long step, double loss, double learningRate, double globalNorm, HealthStatus status,
        IReadOnlyList<LayerHealth> layers, IReadOnlyList<SiteHealth> sites, DepthProfile depthProfile, NonFiniteOrigin? nonFinite,
        IReadOnlyList<HealthAdvice> advice, HealthHistory history, HealthOptions options, HealthActions actions)
    {
        Method = method;
        Step = step;
        Loss = loss;
        LearningRate = learningRate;
        GlobalNorm = globalNorm;
        Status = status;
        Layers = layers;
        Sites = sites;
        DepthProfile = depthProfile;
        NonFinite = nonFinite;
        Advice = advice;
        History = history;
        Options = options;
        Actions = actions;
    }

    /// <summary>The differentiable method.</summary>
    public string Method { get; }

    /// <summary>The step reported.</summary>
    public long Step { get; }

    /// <summary>The loss at that step.</summary>
    public double Loss { get; }

    /// <summary>The learning rate at that step.</summary>
    public double LearningRate { get; }

    /// <summary>The global gradient norm (before clipping).</summary>
    public double GlobalNorm { get; }

    /// <summary>The step's status: the worst layer's, or NON-FINITE for a non-finite loss.</summary>
    public HealthStatus Status { get; }

    /// <summary>Per-layer rows in depth order.</summary>
    public IReadOnlyList<LayerHealth> Layers { get; }

    /// <summary>Per-site readings in layout order.</summary>
    public IReadOnlyList<SiteHealth> Sites { get; }

    /// <summary>The fitted change of the gradient per layer.</summary>
    public DepthProfile DepthProfile { get; }

    /// <summary>Where the first non-finite value came from, when there was one.</summary>
    public NonFiniteOrigin? NonFinite { get; }

    /// <summary>Advice, most severe first.</summary>
    public IReadOnlyList<HealthAdvice> Advice { get; }

    /// <summary>The kept history of classified steps.</summary>
    public HealthHistory History { get; }

    /// <summary>The options (and thresholds) the monitor used.</summary>
    public HealthOptions Options { get; }

    /// <summary>What the monitor did or asks for at this step.</summary>
    public HealthActions Actions { get; }

    /// <summary>
    /// One line: <c>step 120 | loss 0.693 | ‖g‖ 0.0012 | VANISHING (3/8 layers) | ‖∂L/∂W‖ shrinks ×0.25 per layer ... | lr 0.1</c>,
    /// plus clipping, skipped updates, loss spikes and stop requests when they happen.
    /// </summary>
    public string Summary()
    {
        if (Step < 0)
        {
            // Nothing classified yet: "OK (0/3 layers flagged)" would be a verdict on no readings.
            return "no step classified yet; call Record after a probed gradient call";
        }
        int flagged = 0;
        foreach (LayerHealth l in Layers) flagged += l.Status == HealthStatus.Ok ? 0 : 1;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"step {Step} | loss {HealthFormat.Value(Loss)} | ‖g‖ {HealthFormat.Value(GlobalNorm)} | ");
        sb.Append(Status.ToReportWord());
        sb.Append(CultureInfo.InvariantCulture, $" ({flagged}/{Layers.Count} layers flagged) | {DepthProfile.Describe()} | lr {HealthFormat.Number(LearningRate)}");
        if (Actions.ClipScale < 1) sb.Append(" | clipped ×").Append(HealthFormat.Number(Actions.ClipScale));
        if (Actions.ClippedValues > 0) sb.Append(CultureInfo.InvariantCulture, $" | {Actions.ClippedValues} values clipped");
        if (Actions.UpdateSkipped) sb.Append(" | update skipped");
        if (Actions.LossSpike) sb.Append(" | loss spike");
        if (Actions.ShouldStop) sb.Append(" | stop requested");
        return sb.ToString();
    }

    /// <summary>The summary, the non-finite origin and the advice, one per line.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder(Summary()).AppendLine();
        if (NonFinite is not null) sb.Append("NON-FINITE: ").AppendLine(NonFinite.Describe());
        foreach (HealthAdvice a in Advice) sb.Append("- ").AppendLine(a.ToString());
        return sb.ToString();
    }
}
