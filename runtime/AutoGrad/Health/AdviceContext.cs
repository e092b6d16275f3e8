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
}
