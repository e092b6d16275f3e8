using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoGrad.Probes;
using static AutoGrad.Health.HealthFormat;

namespace AutoGrad.Health;

/// <summary>
/// Turns statuses into advice that uses what only AutoGrad knows: each layer's activation and whether it sits in a
/// recurrence (from the generator), n_in·Var(W) and the learning rate (from the runtime). Every piece names the
/// reading and the threshold that triggered it.
/// </summary>
internal static class HealthAdvisor
{
    public static IReadOnlyList<HealthAdvice> Advise(AdviceContext c, out string[] shortAdvice)
    {
        shortAdvice = new string[c.Layers.Count];
        Array.Fill(shortAdvice, "");
        var advice = new List<HealthAdvice>();
        NonFinite(c, advice, shortAdvice);
        Exploding(c, advice, shortAdvice);
        Vanishing(c, advice, shortAdvice);
        Dead(c, advice, shortAdvice);
        Saturated(c, advice, shortAdvice);
        LossSpike(c, advice);
        UpdateRatios(c, advice, shortAdvice);
        UnpairedWeights(c, advice, shortAdvice);
        return advice;
    }

    /// <summary>
    /// Layers the ParameterList names no entry for, beside entries that match no parameter: most likely the same
    /// tensors under other names ('w0' for a stack's 'w[0]', 'layers.0.weight'), and without them those layers have no
    /// update ratio, initialization reading or learning-rate advice (review helper-93: they went missing silently).
    /// </summary>
    private static void UnpairedWeights(AdviceContext c, List<HealthAdvice> advice, string[] shortAdvice)
    {
        if (c.UnpairedLayers.Count == 0 || c.UnmatchedEntries.Count == 0) return;
        string entries = string.Join(", ", c.UnmatchedEntries.Take(6)) + (c.UnmatchedEntries.Count > 6 ? $", … ({c.UnmatchedEntries.Count} in all)" : "");
        bool stack = c.UnpairedLayers.Any(l => c.Info[l].AcrossLayers);
        advice.Add(new HealthAdvice(Names(c, c.UnpairedLayers.ToList()), "parameter names",
            $"no ParameterList entry is named for these layers' weights, and its entries {entries} name no parameter of the method",
            "entries are paired with layers by the method's parameter names",
            "name each entry as the method's parameter (w1)" + (stack ? ", and a Tensor[] read in a loop of run-time depth as w[0], w[1], …" : ", or w[0], w[1], … for a Tensor[]") +
            "; until then these layers have no update ratio, initialization reading or learning-rate advice"));
        foreach (int l in c.UnpairedLayers)
        {
            if (shortAdvice[l].Length == 0) shortAdvice[l] = "name it in the list";
        }
    }

    private static void NonFinite(AdviceContext c, List<HealthAdvice> advice, string[] shortAdvice)
    {
        List<int> layers = WithStatus(c, HealthStatus.NonFinite);
        // Before the first step the loss is unset (NaN), not non-finite.
        bool lossOnly = layers.Count == 0 && c.HasRecorded && !double.IsFinite(c.Loss);
        if (layers.Count == 0 && !lossOnly) return;
        string reading = c.NonFinite?.Describe() ?? $"the loss is {HealthFormat.Value(c.Loss)} and no probe site saw a non-finite value";
        string suggestion = c.NonFinite is { IsCulprit: true } origin
            ? OverflowsOnly(origin.Site.Name)
                // Products and sums have no log, sqrt or division to guard: finite inputs past float's range.
                ? $"the op at {Location(origin.Site.File, origin.Site.Line)} overflowed float's range (3.4e38) from finite inputs: the weights or " +
                  $"activations feeding it grew too large; lower the learning rate (now {Number(c.LearningRate)}), clip gradients by global norm, " +
                  "and check the initialization scale (Xavier/He)"
                : $"guard the op at {Location(origin.Site.File, origin.Site.Line)}: log or sqrt of a non-positive value, division by ~0 and exp overflow are the usual causes; add an epsilon or clamp its input"
            : $"find where the NaN/∞ enters (data, or weights already ruined by a too-large step); lower the learning rate (now {Number(c.LearningRate)}) or clip gradients by global norm";
        if (c.Actions.UpdateSkipped) suggestion += "; this step's update is skipped";
        if (c.Actions.ShouldStop) suggestion += $"; {c.Actions.ConsecutiveNonFiniteSteps} non-finite steps in a row: stop and fix it";
        advice.Add(new HealthAdvice(lossOnly ? "loss" : Names(c, layers), "NON-FINITE", reading,
            "any NaN or ±∞ in the loss or a gradient", suggestion));
        foreach (int l in layers)
        {
            bool here = c.NonFinite is { } o && Array.IndexOf(c.Info[l].Sites, o.Index) >= 0;
            shortAdvice[l] = here && c.NonFinite!.IsCulprit ? "fix this op (culprit)" : "skip update; find origin";
        }
    }

    /// <summary>Ops made of products and sums (a linear layer, with or without its activation; element-wise arithmetic;
    /// recurrent cells, a mean of squares), whose only way to a non-finite value from finite inputs is overflow.</summary>
    private static bool OverflowsOnly(string op)
    {
        // An unrolled copy's site is named with its index: Add[1], Relu(Linear)[4].
        int index = op.IndexOf('[');
        string name = index > 0 ? op[..index] : op;
        return name.Contains("Linear", StringComparison.Ordinal) || name.Contains("MatMul", StringComparison.Ordinal) ||
            name.Contains("Cell", StringComparison.Ordinal) ||
            name is "Add" or "Sub" or "Mul" or "Scale" or "Sum" or "Mean" or "Concat" or "AddActivation" or "Mse";
    }

    private static void Exploding(AdviceContext c, List<HealthAdvice> advice, string[] shortAdvice)
    {
        List<int> layers = WithStatus(c, HealthStatus.Exploding);
        if (layers.Count == 0) return;
        // A recurrence's layers and the feed-forward ones around it get separate advice: clipping through time and
        // gated cells say nothing to an output head.
        List<int> recurrent = layers.Where(l => c.Info[l].InTimeRecurrence).ToList();
        List<int> feedForward = layers.Where(l => !c.Info[l].InTimeRecurrence).ToList();
        List<int> leading = c.Info[layers[0]].InTimeRecurrence ? recurrent : feedForward;
        List<int> trailing = ReferenceEquals(leading, recurrent) ? feedForward : recurrent;
        // The initialization finding goes with the group holding its layer, or else with the one holding the first.
        List<int> hot = InitScaleOff(c, high: true);
        List<int> hotGroup = hot.Count > 0 && trailing.Contains(hot[0]) ? trailing : leading;
        ExplodingGroup(c, leading, ReferenceEquals(hotGroup, leading) ? hot : [], advice, shortAdvice);
        if (trailing.Count > 0) ExplodingGroup(c, trailing, ReferenceEquals(hotGroup, trailing) ? hot : [], advice, shortAdvice);
    }

    private static void ExplodingGroup(AdviceContext c, List<int> layers, List<int> hot, List<HealthAdvice> advice, string[] shortAdvice)
    {
        LayerHealth first = c.Layers[layers[0]];
        var suggestions = new List<string>();
        string shortText;
        if (hot.Count > 0)
        {
            LayerHealth h = c.Layers[hot[0]];
            suggestions.Add($"n_in·Var(W) of {h.Name} was {Number(h.InitScale)} at initialization, far above the " +
                $"variance-preserving {Number(TargetScale(c.Info[hot[0]].ActivationKind))}: re-initialize with Xavier/Glorot " +
                "for sigmoid/tanh (Glorot & Bengio 2010) or He for ReLU (He et al. 2015)");
            shortText = "Xavier/He init";
        }
        else
        {
            shortText = "clip; lower LR";
        }
        string? gatedShort = null; // the gated cells' short advice, beside plain recurrences
        if (c.Info[layers[0]].InTimeRecurrence)
        {
            // What the run already does is not advised again: a gated cell, a clipping threshold in force. Beside a gated
            // cell, only the plain recurrences are told to become one (helper-96).
            List<int> plain = layers.Where(l => !c.Info[l].GatedCell).ToList();
            bool gated = plain.Count == 0;
            // Clipping scales every time step alike: it bounds the update, not the growth across time steps.
            string clip = c.Options.ClipGlobalNorm is { } limit
                ? first.Rule == HealthRule.ThroughTimeAboveLimit
                    ? $"clipping (HealthOptions.ClipGlobalNorm, now {Number(limit)}) bounds the update but not this growth across time " +
                      $"steps: keep the recurrent weights' spectral radius below 1 (orthogonal initialization with gain ≤ 1, weight decay) " +
                      $"or lower the learning rate (now {Number(c.LearningRate)})"
                    : $"lower the clipping threshold (HealthOptions.ClipGlobalNorm, now {Number(limit)}) or the learning rate (now {Number(c.LearningRate)})"
                : "clip by global norm (HealthOptions.ClipGlobalNorm, Pascanu et al. 2013)";
            suggestions.Add("the layer sits in a recurrence, where the gradient is a product over time steps: " + clip +
                (gated ? "" : plain.Count < layers.Count ? $" and use LSTM/GRU cells for {Names(c, plain)}" : " and use LSTM/GRU cells"));
            string clipShort = c.Options.ClipGlobalNorm is null ? "clip" : first.Rule == HealthRule.ThroughTimeAboveLimit ? "radius < 1; LR" : "lower clip/LR";
            shortText = gated ? clipShort : clipShort + "; LSTM/GRU";
            if (!gated && plain.Count < layers.Count) gatedShort = clipShort;
        }
        else
        {
            suggestions.Add(c.Options.ClipGlobalNorm is { } limit
                ? $"lower the clipping threshold (HealthOptions.ClipGlobalNorm, now {Number(limit)}) or the learning rate (now {Number(c.LearningRate)})"
                : $"clip by global norm (HealthOptions.ClipGlobalNorm, e.g. 1 to 5; Pascanu et al. 2013) and lower " +
                  $"the learning rate (now {Number(c.LearningRate)})");
        }
        advice.Add(new HealthAdvice(Names(c, layers), "EXPLODING", ReadingOf(c, first, c.Info[layers[0]].AcrossLayers),
            ThresholdOf(c, first.Rule, c.Info[layers[0]].AcrossLayers),
            string.Join("; ", suggestions)));
        foreach (int l in layers) shortAdvice[l] = gatedShort is not null && c.Info[l].GatedCell ? gatedShort : shortText;
    }

    private static void Vanishing(AdviceContext c, List<HealthAdvice> advice, string[] shortAdvice)
    {
        List<int> layers = WithStatus(c, HealthStatus.Vanishing);
        if (layers.Count == 0) return;
        LayerHealth first = c.Layers[layers[0]];
        var suggestions = new List<string>();
        string shortText = "residual/BN";
        // The layers the gradient crosses on its way down to the vanishing ones: every layer at or above the first.
        var path = Enumerable.Range(layers[0], c.Layers.Count - layers[0]).ToList();
        var squashing = path.Where(l => c.Info[l].ActivationKind is ActivationKind.Sigmoid or ActivationKind.Tanh).ToList();
        if (squashing.Count > 0)
        {
            string kinds = string.Join("/", squashing.Select(l => c.Layers[l].Activation).Distinct(StringComparer.OrdinalIgnoreCase));
            int loops = squashing.Count(l => c.Info[l].AcrossLayers);
            string counted = loops == 0 ? $"{squashing.Count} {kinds} layer(s)"
                : loops == squashing.Count ? $"a loop of {kinds} layers of run-time depth"
                : $"{squashing.Count - loops} {kinds} layer(s) and a loop of them of run-time depth";
            suggestions.Add($"the gradient crosses {counted}, whose derivative is at most 0.25 " +
                $"(sigmoid) or 1 (tanh, less when saturated); {c.DepthProfile.Describe()}: switch to ReLU or leaky ReLU " +
                "with He initialization, and add residual connections or batch normalization");
            shortText = "ReLU + He init; residual/BN";
        }
        List<int> cold = InitScaleOff(c, high: false);
        if (cold.Count > 0)
        {
            LayerHealth h = c.Layers[cold[0]];
            suggestions.Add($"n_in·Var(W) of {h.Name} was {Number(h.InitScale)} at initialization, far below the " +
                $"variance-preserving {Number(TargetScale(c.Info[cold[0]].ActivationKind))}: use He initialization for ReLU " +
                "layers (He et al. 2015) or Xavier/Glorot for tanh (Glorot & Bengio 2010)" +
                (c.Info[cold[0]].ActivationKind == ActivationKind.Sigmoid
                    ? "; for sigmoid no initialization is enough, since its slope is at most 0.25 and the gradient still " +
                      "shrinks about fourfold per layer: change the activation"
                    : ""));
            if (squashing.Count == 0) shortText = "He init";
        }
        bool allGated = layers.All(l => !c.Info[l].InTimeRecurrence || c.Info[l].GatedCell);
        // A gated cell and a plain recurrence in one finding each get their own cure (review helper-94: a GRU beside
        // an Elman layer was told to use LSTM/GRU cells).
        List<int> gated = layers.Where(l => c.Info[l].InTimeRecurrence && c.Info[l].GatedCell).ToList();
        List<int> plain = layers.Where(l => c.Info[l].InTimeRecurrence && !c.Info[l].GatedCell).ToList();
        bool mixedCells = gated.Count > 0 && plain.Count > 0;
        string mixedCellAdvice = mixedCells
            ? $"use LSTM/GRU cells for {Names(c, plain)}, whose gated cell state carries the gradient across steps; {Names(c, gated)} " +
              (gated.Count == 1 ? "is a gated cell already:" : "are gated cells already:") + $" shorter sequences (truncated backpropagation through time), or check {GateBias(c, gated)}"
            : "";
        if (layers.Any(l => c.Info[l].InTimeRecurrence))
        {
            suggestions.Add(mixedCells ? "in a recurrence the gradient shrinks once per time step: " + mixedCellAdvice
                : allGated
                ? "in a recurrence the gradient shrinks once per time step, and these gated cells do not carry it across the steps " +
                  $"this task needs: shorter sequences (truncated backpropagation through time), or check {GateBias(c, layers)}"
                : "in a recurrence the gradient shrinks once per time step: use LSTM/GRU cells, whose gated " +
                  "cell state carries it across steps");
            shortText = allGated ? "shorter sequences" : "LSTM/GRU";
        }
        if (layers.Any(l => c.Info[l].AcrossLayers))
        {
            // One site stands for every layer of a loop whose depth is known only at run time: the layer count above
            // counted it once, and the cures are a deep stack's, not a recurrence's.
            suggestions.Add("the loop's layers (its depth is known only at run time) share this reading, and the gradient " +
                "shrinks at every iteration of the loop" + (squashing.Count > 0 ? "" : ": add residual connections or batch " +
                "normalization, and check the initialization (He for ReLU, Xavier for tanh)"));
            if (squashing.Count == 0) shortText = "residual/BN; init";
        }
        if (first.Rule == HealthRule.ThroughTimeBelowLimit && !c.Info[layers[0]].AcrossLayers)
        {
            // Fading through time is a property of the recurrence, not of the layer stack: only the recurrence's cures apply.
            suggestions.Clear();
            suggestions.Add("the gradient fades at every step back in time, so the loss hardly reaches the early inputs " +
                "and the network cannot learn from them" + (mixedCells ? ": " + mixedCellAdvice : allGated
                    ? " (harmless when the task does not need them): these are gated cells already; use shorter sequences " +
                      $"(truncated backpropagation through time), or check {GateBias(c, layers)}"
                    : ": use LSTM or GRU cells, whose gated cell state carries the gradient across time steps (Hochreiter & " +
                      "Schmidhuber 1997), or shorter sequences (truncated backpropagation through time)"));
            shortText = allGated ? "shorter sequences" : "LSTM/GRU";
        }
        if (suggestions.Count == 0)
        {
            suggestions.Add($"{c.DepthProfile.Describe()}: add residual connections or batch normalization, and check " +
                "the initialization (He for ReLU, Xavier for tanh)");
        }
        advice.Add(new HealthAdvice(Names(c, layers), "VANISHING", ReadingOf(c, first, c.Info[layers[0]].AcrossLayers),
            ThresholdOf(c, first.Rule, c.Info[layers[0]].AcrossLayers),
            string.Join("; ", suggestions)));
        foreach (int l in layers) shortAdvice[l] = shortText;
        if (mixedCells)
        {
            foreach (int l in gated) shortAdvice[l] = "shorter sequences";
            foreach (int l in plain) shortAdvice[l] = "LSTM/GRU";
        }
    }

    private static void Dead(AdviceContext c, List<HealthAdvice> advice, string[] shortAdvice)
    {
        // ReLU layers and the others get advice of their own: leaky ReLU is no remedy for a tanh or linear layer that
        // no gradient reaches (one list had given every dead layer the first one's advice).
        List<int> dead = WithStatus(c, HealthStatus.Dead);
        List<int> relu = dead.Where(l => c.Info[l].UnitsCanDie).ToList();
        // A layer next to a dead ReLU layer gets no gradient because of that layer, not its data flow: above it, its input
        // is that layer's zeros; below it, that layer's ReLU passes it nothing. Each names its own neighbour.
        List<int> nextToDeadRelu = dead.Except(relu).Where(l => relu.Contains(l - 1) || relu.Contains(l + 1)).ToList();
        Dead(c, relu, advice, shortAdvice);
        Dead(c, dead.Except(relu).Except(nextToDeadRelu).ToList(), advice, shortAdvice);
        foreach (int l in nextToDeadRelu) Dead(c, [l], advice, shortAdvice, deadReluNeighbour: relu.Contains(l - 1) ? l - 1 : l + 1);
    }

    private static void Dead(AdviceContext c, List<int> layers, List<HealthAdvice> advice, string[] shortAdvice, int deadReluNeighbour = -1)
    {
        if (layers.Count == 0) return;
        LayerHealth first = c.Layers[layers[0]];
        // The number that crossed the threshold: the activation site's for dead units, the triggering gradient's
        // zero fraction for zero gradients (the layer's own FlaggedFraction is its activation's, another reading).
        string reading = first.Rule == HealthRule.DeadUnits
            ? $"{Percent(first.FlaggedFraction)} of {first.Name}'s ReLU units are never positive in the batch"
            : $"{Percent(first.Trigger?.ZeroFraction ?? first.FlaggedFraction)} of {GradientName(first)} values are exactly 0";
        bool relu = c.Info[layers[0]].UnitsCanDie;
        // He initialization is advised only where the weights were not initialized that way already (n_in·Var(W) ≈ 2,
        // within a factor of 1.5: Xavier's 1 is not He).
        bool heAlready = layers.All(l => c.Layers[l].InitScale is var s && s > 2 / 1.5 && s < 2 * 1.5);
        string suggestion = relu
            ? $"use leaky ReLU, lower the learning rate (now {Number(c.LearningRate)}), " +
              (heAlready ? "start the biases slightly positive" : "initialize with He and biases slightly positive")
            : deadReluNeighbour >= 0
                ? (deadReluNeighbour < layers[0]
                    ? $"its input is the output of {c.Layers[deadReluNeighbour].Name}, whose ReLU units are dead"
                    : $"its output feeds {c.Layers[deadReluNeighbour].Name}, whose dead ReLU units pass no gradient back") +
                  ": the cure is that layer's (see its advice)"
                : "no gradient reaches these parameters: nothing they feed reaches the loss in this batch (an input that is 0 " +
                  "throughout, a factor of 0, or a path the loss does not use); check the inputs and the method's data flow";
        // Weights that are all zero explain a dead layer before anything else does (review helper-93: a network with
        // zero weights was told to use leaky ReLU and lower a learning rate that had played no part yet): the dead layer's
        // own, or those of the layer right after it, which pass it no gradient. Only while they are still zero, and only
        // there (helper-94: a zero-initialized output layer that had long since learned was blamed for a dead first layer).
        // Not a zero layer below the dead one: whether its zeros reach it depends on its bias and activation (helper-98:
        // w1 = 0 with b1 = 0.5 was blamed for a layer dead by its own bias).
        var deadDepths = new HashSet<int>(layers.Select(l => c.Info[l].Depth));
        List<int> zeroInit = c.ZeroWeightLayers.Where(l => deadDepths.Contains(c.Info[l].Depth) || deadDepths.Contains(c.Info[l].Depth - 1)).ToList();
        if (zeroInit.Count > 0)
        {
            suggestion = $"the weights of {Names(c, zeroInit)} are all zero: a zero weight matrix passes no gradient back to what feeds it, " +
                "and gives its own units identical updates; initialize them with He (ReLU) or Xavier/Glorot (tanh, sigmoid)";
        }
        advice.Add(new HealthAdvice(Names(c, layers), "DEAD", reading,
            relu ? $"≥ {Percent(c.Thresholds.DeadFraction)} (AUTOTRAINER's dying-ReLU γ)" : "all of a gradient outside ReLU layers",
            suggestion));
        foreach (int l in layers)
        {
            shortAdvice[l] = zeroInit.Count > 0 ? "zero init: He/Xavier" : relu ? "leaky ReLU; lower LR" : deadReluNeighbour >= 0 ? "fix the dead ReLU layer" : "no gradient reaches it";
        }
    }

    /// <summary>The gate whose bias decides how much state a gated cell keeps: an LSTM's forget gate, a GRU's update
    /// gate (a GRU has no forget gate and no cell state; review helper-93).</summary>
    private static string GateBias(AdviceContext c, List<int> layers)
    {
        bool gru = layers.Any(l => c.Info[l].GruCell), lstm = layers.Any(l => c.Info[l].GatedCell && !c.Info[l].GruCell);
        const string forget = "the forget gate's bias (about 1 keeps the cell state)";
        const string update = "the update gate's bias (how much of the previous hidden state each step keeps)";
        return gru && lstm ? $"an LSTM's {forget} or a GRU's {update}" : gru ? update : forget;
    }

    private static string GradientName(LayerHealth layer) =>
        layer.Trigger is { } t ? (t.Name.StartsWith("g_", StringComparison.Ordinal) ? t.Name[2..] + "'s gradient" : t.Name) : layer.Name + "'s gradient";

    private static void Saturated(AdviceContext c, List<HealthAdvice> advice, string[] shortAdvice)
    {
        List<int> layers = WithStatus(c, HealthStatus.Saturated);
        if (layers.Count == 0) return;
        LayerHealth first = c.Layers[layers[0]];
        string init = double.IsNaN(first.InitScale) ? "" : $" (n_in·Var(W) was {Number(first.InitScale)})";
        advice.Add(new HealthAdvice(Names(c, layers), "SATURATED",
            $"{Percent(first.FlaggedFraction)} of {first.Name}'s {first.Activation} outputs are in the flat region (derivative < 0.01)",
            $"≥ {Percent(c.Thresholds.SaturatedFraction)}",
            $"initialize with Xavier/Glorot{init}, normalize the inputs, add batch normalization, or lower the learning rate " +
            $"(now {Number(c.LearningRate)})"));
        foreach (int l in layers) shortAdvice[l] = "Xavier init; BN";
    }

    private static void LossSpike(AdviceContext c, List<HealthAdvice> advice)
    {
        if (!c.Actions.LossSpike) return;
        HealthThresholds t = c.Thresholds;
        advice.Add(new HealthAdvice("loss", "loss spike",
            $"loss {Number(c.Loss)} vs. mean {Number(c.Actions.LossWindowMean)} of the last {t.LossWindow} steps, {c.Actions.LossOutliers} outliers in a row",
            $"> {Number(t.LossSpikeFactor)}× the mean for more than {t.LossSpikePatience} steps (MosaicML llm-foundry)",
            $"the loss is swinging: lower the learning rate (now {Number(c.LearningRate)}, try {Number(c.LearningRate / 2)}) or add " +
            "warm-up, add weight regularization (weight decay, e.g. AdamW), and clip gradients by global norm"));
    }

    private static void UpdateRatios(AdviceContext c, List<HealthAdvice> advice, string[] shortAdvice)
    {
        HealthThresholds t = c.Thresholds;
        var high = new List<int>();
        var low = new List<int>();
        for (int l = 0; l < c.Layers.Count; l++)
        {
            double r = c.Layers[l].UpdateRatio;
            if (!(r > 0) || !double.IsFinite(r)) continue;
            // Weights grown from zero have a large ratio of about 1/steps whatever the rate (review helper-94: told to
            // lower a rate of 1e-4 that changed nothing): no reading of a rate too high. Zero, not constant (helper-96).
            // Only while the ratio is near that 1/steps: later it reads the rate again (helper-98: 0.033 at step 199).
            if (r > t.UpdateRatioTarget * t.UpdateRatioBand)
            {
                if (!c.InitiallyZeroLayers.Contains(l) || r > 2.0 / Math.Max(1, c.StepsSinceBinding)) high.Add(l);
            }
            // A vanishing (or dead) layer updates little because its gradient is tiny, not because the learning
            // rate is: raising the rate is not the cure, and its advice already names the cause.
            else if (r < t.UpdateRatioTarget / t.UpdateRatioBand && c.Layers[l].Status is not (HealthStatus.Vanishing or HealthStatus.Dead)) low.Add(l);
        }
        if (high.Count > 0 && low.Count > 0)
        {
            // Opposite advice per layer would contradict itself: the spread, not the rate, is the finding.
            AddSpreadAdvice(c, advice, shortAdvice, high, low);
            return;
        }
        AddRatioAdvice(c, advice, shortAdvice, high, tooHigh: true);
        if (LowRatiosMeanALowRate(c)) AddRatioAdvice(c, advice, shortAdvice, low, tooHigh: false);
    }

    /// <summary>
    /// Whether small updates point at the learning rate. Not when a layer is vanishing, dead or saturated (its advice
    /// names why the gradients, and so the updates, are small: raising the rate there only escalates), and not once
    /// the loss has fallen well below its starting level (a converging run, or a decaying schedule, makes small
    /// updates; a tenfold rate then undoes the training).
    /// </summary>
    private static bool LowRatiosMeanALowRate(AdviceContext c)
    {
        foreach (LayerHealth layer in c.Layers)
        {
            if (layer.Status is HealthStatus.Vanishing or HealthStatus.Dead or HealthStatus.Saturated) return false;
        }
        // Fallen by the fraction of the start's magnitude, so a negative loss (a log-likelihood) that falls counts too.
        double drop = c.StartLoss - c.RecentLoss;
        bool fallen = c.StartLoss != 0 && drop >= (1 - c.Thresholds.LowUpdateRatioLossFraction) * Math.Abs(c.StartLoss);
        return !fallen;
    }

    private static void AddSpreadAdvice(AdviceContext c, List<HealthAdvice> advice, string[] shortAdvice, List<int> high, List<int> low)
    {
        HealthThresholds t = c.Thresholds;
        int largest = high.OrderByDescending(l => c.Layers[l].UpdateRatio).First();
        int smallest = low.OrderBy(l => c.Layers[l].UpdateRatio).First();
        double decades = Math.Log10(c.Layers[largest].UpdateRatio / c.Layers[smallest].UpdateRatio);
        advice.Add(new HealthAdvice(Names(c, high.Concat(low).OrderBy(l => l).ToList()), "update ratio",
            $"‖ΔW‖/‖W‖ from {Number(c.Layers[smallest].UpdateRatio)} ({c.Layers[smallest].Name}) to {Number(c.Layers[largest].UpdateRatio)} ({c.Layers[largest].Name})",
            $"> {Number(t.UpdateRatioTarget * t.UpdateRatioBand)} in {high.Count} layer(s) and < {Number(t.UpdateRatioTarget / t.UpdateRatioBand)} in {low.Count}; CS231n's rule of thumb is about {Number(t.UpdateRatioTarget)}",
            $"no single learning rate suits every layer (the updates span {decades.ToString("0.#", CultureInfo.InvariantCulture)} decades at {Number(c.LearningRate)}): " +
            "lowering it starves the slow layers and raising it destabilizes the fast ones; " + SpreadRemedy(c, high.Concat(low).OrderBy(l => l).ToList())));
        foreach (int l in high.Concat(low))
        {
            if (shortAdvice[l].Length == 0) shortAdvice[l] = c.Adaptive(l) ? "LR spread; per-layer LR" : "LR spread; Adam";
        }
    }

    /// <summary>
    /// What evens out a spread of update ratios. Layers on SGD get an adaptive optimizer; layers already on Adam or
    /// RMSProp, whose steps are about the learning rate whatever the gradient's size, have ratios that follow their
    /// weights' scale (and how steady their gradients are), which an optimizer cannot change.
    /// </summary>
    private static string SpreadRemedy(AdviceContext c, List<int> layers)
    {
        const string adaptive = "the optimizer already scales each weight's step to about the learning rate, so ‖ΔW‖/‖W‖ follows the layer's " +
            "weight scale: give the fast layers a lower learning rate of their own (a parameter group), or initialize so the layers' weights " +
            "have comparable scales (Xavier/He)";
        const string plain = "an adaptive optimizer (Adam, AdamW) scales each parameter's step, and the layers flagged above say why their gradients differ";
        List<int> onAdaptive = layers.Where(c.Adaptive).ToList();
        if (onAdaptive.Count == layers.Count) return adaptive;
        if (onAdaptive.Count == 0) return plain;
        return $"for {Names(c, layers.Except(onAdaptive).ToList())}, {plain}; for {Names(c, onAdaptive)}, {adaptive}";
    }

    private static void AddRatioAdvice(AdviceContext c, List<HealthAdvice> advice, string[] shortAdvice, List<int> layers, bool tooHigh)
    {
        if (layers.Count == 0) return;
        HealthThresholds t = c.Thresholds;
        double geometricMean = Math.Pow(10, layers.Average(l => Math.Log10(c.Layers[l].UpdateRatio)));
        // One step of at most a factor of ten: the ratio is a rule of thumb, not a formula for the learning rate.
        double suggested = c.LearningRate * Math.Clamp(t.UpdateRatioTarget / geometricMean, 0.1, 10);
        string bound = tooHigh
            ? $"> {Number(t.UpdateRatioTarget * t.UpdateRatioBand)}"
            : $"< {Number(t.UpdateRatioTarget / t.UpdateRatioBand)}";
        advice.Add(new HealthAdvice(Names(c, layers), "update ratio",
            $"‖ΔW‖/‖W‖ = {Number(geometricMean)}" + (layers.Count > 1 ? " (geometric mean over these layers)" : ""),
            $"{bound}; CS231n's rule of thumb is about {Number(t.UpdateRatioTarget)}",
            tooHigh
                ? $"the learning rate {Number(c.LearningRate)} is likely too high: try about {Number(suggested)}"
                : $"the learning rate {Number(c.LearningRate)} is likely too low for these layers: try about {Number(suggested)}"));
        foreach (int l in layers)
        {
            if (shortAdvice[l].Length == 0) shortAdvice[l] = tooHigh ? "lower LR" : "raise LR";
        }
    }

    private static List<int> WithStatus(AdviceContext c, HealthStatus status)
    {
        var result = new List<int>();
        for (int l = 0; l < c.Layers.Count; l++)
        {
            if (c.Layers[l].Status == status) result.Add(l);
        }
        return result;
    }

    /// <summary>Layers whose initial n_in·Var(W) is more than the band away from the variance-preserving value.</summary>
    private static List<int> InitScaleOff(AdviceContext c, bool high)
    {
        var result = new List<int>();
        for (int l = 0; l < c.Layers.Count; l++)
        {
            double scale = c.Layers[l].InitScale;
            if (double.IsNaN(scale)) continue;
            double target = TargetScale(c.Info[l].ActivationKind);
            if (high ? scale > target * c.Thresholds.InitScaleBand : scale < target / c.Thresholds.InitScaleBand)
            {
                result.Add(l);
            }
        }
        return result;
    }

    /// <summary>n_in·Var(W) that preserves the signal's variance: 2 for ReLU (He), 1 otherwise (Glorot/LeCun).</summary>
    private static double TargetScale(ActivationKind activation) => activation == ActivationKind.Relu ? 2 : 1;

    private static string Names(AdviceContext c, List<int> layers) =>
        layers.Count <= 4
            ? string.Join(" ", layers.Select(l => c.Layers[l].Name))
            : $"{c.Layers[layers[0]].Name} … {c.Layers[layers[^1]].Name} ({layers.Count} layers)";

    /// <param name="c">The context.</param>
    /// <param name="layer">The layer whose reading crossed the threshold.</param>
    /// <param name="overLayers">The layer is a loop over layers of run-time depth: its iterations are layers, not time steps.</param>
    private static string ReadingOf(AdviceContext c, LayerHealth layer, bool overLayers)
    {
        int last = c.Layers.Count - 1;
        if (layer.Trigger is { } t)
        {
            // Quote the reading that crossed the threshold, which need not be the layer's weight gradient.
            string tg = $"‖{t.Name}‖ = {Number(t.Norm)}";
            return layer.Rule switch
            {
                HealthRule.ThroughTimeBelowLimit or HealthRule.ThroughTimeAboveLimit =>
                    (overLayers
                        ? $"‖{t.Name}‖ at the first of the loop's {t.TimeSteps} iterations = {Number(t.EarliestNorm)}, {Number(t.TimeRatio)} " +
                          $"of the last iteration's {Number(t.LatestNorm)} (×{Number(t.FactorPerTimeStep)} per iteration toward the input"
                        : $"‖{t.Name}‖ at the first of {t.TimeSteps} time steps = {Number(t.EarliestNorm)}, {Number(t.TimeRatio)} " +
                          $"of the last step's {Number(t.LatestNorm)} (×{Number(t.FactorPerTimeStep)} per step back in time") +
                    (double.IsNaN(t.MedianTimeRatio) ? ")" : $"; median ratio over the last {c.Thresholds.RollingWindow} steps {Number(t.MedianTimeRatio)})"),
                HealthRule.RmsBelowFloor => $"RMS({t.Name}) = {Number(t.Rms)}, {tg}",
                HealthRule.NormAboveMedian or HealthRule.NormBelowMedian => $"{tg}, rolling median {Number(Math.Pow(10, t.Log10Median))}",
                _ => tg,
            };
        }
        string g = $"‖g_{layer.Name}‖ = {Number(Math.Pow(10, SignalLog10(layer)))}";
        return layer.Rule switch
        {
            HealthRule.RatioBelowLimit or HealthRule.RatioAboveLimit =>
                $"‖g_{layer.Name}‖/‖g_{c.Layers[last].Name}‖ = {Number(layer.RatioToLast)}, {g}",
            HealthRule.RmsBelowFloor => $"RMS(g_{layer.Name}) = {Number(layer.Rms)}, {g}",
            HealthRule.NormAboveMedian or HealthRule.NormBelowMedian =>
                $"{g}, rolling median {Number(Math.Pow(10, layer.Log10Median))}",
            _ => g,
        };
    }

    private static double SignalLog10(LayerHealth layer) =>
        double.IsNaN(layer.Log10Gradient) ? layer.Log10Adjoint : layer.Log10Gradient;

    private static string ThresholdOf(AdviceContext c, HealthRule rule, bool overLayers)
    {
        HealthThresholds t = c.Thresholds;
        string first = overLayers ? "first over last iteration of the loop" : "first over last time step";
        string along = overLayers ? "along the loop" : "along the recurrence";
        return rule switch
        {
            HealthRule.RatioBelowLimit => $"ratio < {Number(t.VanishingRatio)} with ‖g‖ < {Number(t.VanishingFirstNorm)} (AUTOTRAINER, Zhang et al. 2021)",
            HealthRule.RatioAboveLimit => $"ratio > {Number(t.ExplodingRatio)} (AUTOTRAINER, Zhang et al. 2021)",
            HealthRule.ThroughTimeBelowLimit => $"{first} < {Number(t.VanishingRatio)} with the first < {Number(t.VanishingFirstNorm)}, rolling medians once there are {t.MinHistory} steps (AUTOTRAINER's ratio rule, Zhang et al. 2021, {along})",
            HealthRule.ThroughTimeAboveLimit => $"{first} > {Number(t.ExplodingRatio)} (AUTOTRAINER's ratio rule, Zhang et al. 2021, {along})",
            HealthRule.RmsBelowFloor => $"RMS < {Number(t.VanishingRms)}",
            HealthRule.NormAboveCeiling => $"‖g‖ > {Number(t.ExplodingNorm)}",
            HealthRule.NormAboveMedian => $"‖g‖ > {Number(t.ExplodingMedianFactor)}× its rolling median over {t.RollingWindow} steps",
            HealthRule.NormBelowMedian => $"‖g‖ < {Number(t.VanishingMedianFactor)}× its rolling median over {t.RollingWindow} steps",
            _ => rule.ToString(),
        };
    }
}
