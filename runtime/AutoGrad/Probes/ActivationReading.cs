using System;

namespace AutoGrad.Probes;

/// <summary>
/// Where an activation's forward reports its probe reading (saturated or dead units) when it computes the reading in
/// the same pass that produces the activation. Generated code passes one to an op's <c>ForwardInto</c> method when
/// that method takes it as its last parameter, and then takes no reading of its own; <c>default</c> reads nothing.
/// </summary>
public readonly struct ActivationReading
{
    private readonly GradientProbes? _probes;
    private readonly int _site;

    /// <summary>A reading for <paramref name="site"/> of <paramref name="probes"/>; inactive when probes is null.</summary>
    public ActivationReading(GradientProbes? probes, int site)
    {
        _probes = probes;
        _site = site;
    }

    /// <summary>True when the op should count and report.</summary>
    public bool IsActive => _probes is not null;

    /// <summary>Reports a saturating activation's count: <paramref name="saturated"/> of <paramref name="outputs"/> outputs.</summary>
    public void RecordSaturated(long saturated, int outputs)
    {
        _probes?.RecordActivationCounts(_site, saturated, outputs, outputs);
    }

    /// <summary>Reads an activation output that the op could not count while producing it (a second pass).</summary>
    public void Record(ReadOnlySpan<float> output, int rows, ActivationKind activation)
    {
        _probes?.RecordActivation(_site, output, rows, activation);
    }
}
