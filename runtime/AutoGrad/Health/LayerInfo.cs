using System;
using System.Collections.Generic;
using AutoGrad.Probes;

namespace AutoGrad.Health;

/// <summary>
/// One row of the depth table: the probe sites that share a depth, grouped once when the monitor is created.
/// The layer's "signal" is its weight gradient (the largest parameter at that depth, as AUTOTRAINER compares kernel
/// norms, not biases), or ∂L/∂h when the layer has no parameter site.
/// </summary>
internal sealed class LayerInfo
{
    private LayerInfo(int depth, int[] parameterSites, int weightSite, int outputSite, int activationSite)
    {
        Depth = depth;
        ParameterSites = parameterSites;
        WeightSite = weightSite;
        OutputSite = outputSite;
        ActivationSite = activationSite;
    }

    public int Depth { get; }

    public int[] ParameterSites { get; }

    /// <summary>The largest parameter site at this depth, or -1.</summary>
    public int WeightSite { get; private set; }

    /// <summary>The ∂L/∂h site, or -1.</summary>
    public int OutputSite { get; }

    /// <summary>The activation (saturation/dead-unit) site, or -1.</summary>
    public int ActivationSite { get; }

    /// <summary>The site whose norm stands for the layer in ratios, trends and charts.</summary>
    public int SignalSite => WeightSite >= 0 ? WeightSite : OutputSite;

    public string Name { get; private set; } = "";

    public string File { get; private set; } = "";

    public int Line { get; private set; }

    public string Activation { get; private set; } = "";

    public ActivationKind ActivationKind { get; private set; }

    /// <summary>A ReLU or GELU layer, whose units can die (see <see cref="ProbeSiteExtensions.UnitsCanDie"/>).</summary>
    public bool UnitsCanDie => ActivationKind == ActivationKind.Relu && ProbeSiteExtensions.UnitsCanDie(Activation);

    public bool InRecurrence { get; private set; }

    /// <summary>The layer is an LSTM or GRU cell (an op site of its depth is <c>Nn.LstmCell</c> or <c>Nn.GruCell</c>): the
    /// advice does not tell it to use one.</summary>
    public bool GatedCell { get; private set; }

    /// <summary>The gated cell is a GRU's (an op site <c>Nn.GruCell</c>): it has an update gate, no forget gate or cell state.</summary>
    public bool GruCell { get; private set; }

    /// <summary>
    /// In a loop over layers of run-time depth (<see cref="Probes.ProbeSite.AcrossLayers"/>) and in no recurrence proper:
    /// a stacked RNN's layer has a site in the loop over layers and its weights in the loop over time.
    /// </summary>
    public bool AcrossLayers => _acrossLayers && !InTimeRecurrence;

    /// <summary>In a recurrence proper: a loop that shares its weights across time steps.</summary>
    public bool InTimeRecurrence { get; private set; }

    private bool _acrossLayers;

    public long ParameterCount { get; private set; }

    /// <summary>Every site of this layer, parameters first (an array, so the per-step loops allocate nothing).</summary>
    public int[] Sites { get; private set; } = [];

    /// <summary>Groups the layout's sites by depth, shallowest first.</summary>
    public static LayerInfo[] Build(ProbeLayout layout)
    {
        var depths = new SortedSet<int>();
        foreach (ProbeSite site in layout.Sites) depths.Add(site.Depth);
        var layers = new List<LayerInfo>(depths.Count);
        foreach (int depth in depths)
        {
            var parameters = new List<int>();
            int weight = -1, output = -1, activation = -1;
            for (int i = 0; i < layout.Count; i++)
            {
                ProbeSite s = layout.Sites[i];
                if (s.Depth != depth) continue;
                switch (s.Kind)
                {
                    case ProbeKind.Parameter:
                        parameters.Add(i);
                        if (weight < 0 || s.ParameterCount > layout.Sites[weight].ParameterCount) weight = i;
                        break;
                    case ProbeKind.LayerOutput when output < 0:
                        output = i;
                        break;
                    case ProbeKind.Activation when activation < 0:
                        activation = i;
                        break;
                }
            }
            if (parameters.Count == 0 && output < 0 && activation < 0)
            {
                continue; // only op sites (used to locate non-finite values): nothing to read as a layer
            }
            var layer = new LayerInfo(depth, parameters.ToArray(), weight, output, activation);
            layer.Describe(layout);
            for (int i = 0; i < layout.Count; i++)
            {
                ProbeSite s = layout.Sites[i];
                layer.GatedCell |= s.Depth == depth && s.Kind == ProbeKind.Operation && s.Name is "LstmCell" or "GruCell";
                layer.GruCell |= s.Depth == depth && s.Kind == ProbeKind.Operation && s.Name is "GruCell";
            }
            layers.Add(layer);
        }
        return layers.ToArray();
    }

    private void Describe(ProbeLayout layout)
    {
        var names = new List<string>();
        foreach (int s in ParameterSites) names.Add(layout.Sites[s].Name);
        int anchor = OutputSite >= 0 ? OutputSite : ActivationSite >= 0 ? ActivationSite : WeightSite;
        var sites = new List<int>(ParameterSites);
        if (OutputSite >= 0) sites.Add(OutputSite);
        if (ActivationSite >= 0) sites.Add(ActivationSite);
        Sites = sites.ToArray();
        Name = names.Count > 0 ? string.Join(",", names) : layout.Sites[anchor].Name;
        File = layout.Sites[anchor].File;
        Line = layout.Sites[anchor].Line;
        foreach (int s in Sites)
        {
            ProbeSite site = layout.Sites[s];
            ParameterCount += site.Kind == ProbeKind.Parameter ? site.ParameterCount : 0;
            InRecurrence |= site.InRecurrence;
            _acrossLayers |= site.AcrossLayers;
            InTimeRecurrence |= site.InRecurrence && !site.AcrossLayers;
            if (ActivationKind == ActivationKind.None && site.ActivationFamily() != ActivationKind.None)
            {
                ActivationKind = site.ActivationFamily();
                Activation = site.Activation;
            }
            else if (Activation.Length == 0 && !string.IsNullOrEmpty(site.Activation) &&
                     !site.Activation.Equals("None", StringComparison.OrdinalIgnoreCase))
            {
                Activation = site.Activation;
            }
        }
    }

    /// <summary>
    /// Sizes known only at run time (tensor parameters, whose layout entries say 0): picks the largest parameter
    /// by the number of values the first probed step recorded, and counts the layer's parameters from them.
    /// </summary>
    public void MeasureParameters(GradientProbes probes)
    {
        if (ParameterCount > 0 || ParameterSites.Length == 0) return;
        long total = 0;
        int largest = WeightSite;
        foreach (int s in ParameterSites)
        {
            long n = probes.Count(s);
            total += n;
            if (largest < 0 || n > probes.Count(largest)) largest = s;
        }
        WeightSite = largest;
        ParameterCount = total;
    }
}
