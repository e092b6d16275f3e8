using System.Collections.Generic;

namespace AutoGrad.Health;

/// <summary>One layer's gradient norm over the kept steps (aligned with <see cref="HealthHistory.Steps"/>).</summary>
/// <param name="Name">The layer's name.</param>
/// <param name="Depth">The layer's depth.</param>
/// <param name="Log10Norms">log10 of the layer's signal norm per kept step; NaN where there was no clean reading.</param>
public sealed record LayerSeries(string Name, int Depth, double[] Log10Norms);

/// <summary>The classified steps the monitor still keeps (up to <see cref="HealthOptions.HistoryLength"/>), oldest first.</summary>
/// <param name="Steps">Step numbers.</param>
/// <param name="Loss">Loss per step.</param>
/// <param name="GlobalNorm">Global gradient norm per step (before clipping).</param>
/// <param name="Status">Step status per step.</param>
/// <param name="Layers">Per-layer norm series, in depth order.</param>
public sealed record HealthHistory(long[] Steps, double[] Loss, double[] GlobalNorm, HealthStatus[] Status, IReadOnlyList<LayerSeries> Layers);
