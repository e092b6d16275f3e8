using System.Collections.Generic;

namespace AutoGrad.Health;

/// <summary>Everything the advisor reads: the report's rows plus what only the monitor knows about the layers.</summary>
internal sealed record AdviceContext(
    IReadOnlyList<LayerHealth> Layers,
    IReadOnlyList<LayerInfo> Info,
    DepthProfile DepthProfile,
    NonFiniteOrigin? NonFinite,
    HealthActions Actions,
    double Loss,
    double LearningRate,
    HealthOptions Options,
    bool HasRecorded)
{
    public HealthThresholds Thresholds => Options.Thresholds;

    /// <summary>The median of the first <see cref="HealthThresholds.MinHistory"/> classified finite losses, or NaN.</summary>
    public double StartLoss { get; init; } = double.NaN;

    /// <summary>The rolling median of the classified losses (the last <see cref="HealthThresholds.RollingWindow"/>),
    /// or NaN until there are <see cref="HealthThresholds.MinHistory"/>.</summary>
    public double RecentLoss { get; init; } = double.NaN;

    /// <summary>Per layer, whether its weights were last stepped by an optimizer that scales each element's step
    /// (Adam, AdamW, RMSProp); empty when unknown.</summary>
    public IReadOnlyList<bool> AdaptiveLayers { get; init; } = [];

    /// <summary>Layers whose weights in the bound ParameterList were all exactly zero at the classified step.</summary>
    public IReadOnlyList<int> ZeroWeightLayers { get; init; } = [];

    /// <summary>Classified steps since the list was first bound (the optimizer steps a zero layer has grown over).</summary>
    public long StepsSinceBinding { get; init; }

    /// <summary>Layers whose weights were all exactly zero when the list was first bound.</summary>
    public IReadOnlyList<int> InitiallyZeroLayers { get; init; } = [];

    /// <summary>Layers with a weight site that no entry of the bound ParameterList names.</summary>
    public IReadOnlyList<int> UnpairedLayers { get; init; } = [];

    /// <summary>Entries of the bound ParameterList whose names match no parameter of the method.</summary>
    public IReadOnlyList<string> UnmatchedEntries { get; init; } = [];

    /// <summary>Whether layer <paramref name="l"/>'s weights were last stepped by an adaptive optimizer.</summary>
    public bool Adaptive(int l) => l < AdaptiveLayers.Count && AdaptiveLayers[l];
}
