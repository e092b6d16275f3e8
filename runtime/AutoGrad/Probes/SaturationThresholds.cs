namespace AutoGrad.Probes;

/// <summary>
/// When an activation unit counts as saturated. At these outputs the local derivative is below about 0.01
/// (sigmoid: y(1-y) &lt; 0.0099; tanh: 1-y² &lt; 0.0199), so almost no gradient passes; see docs/probes.md.
/// </summary>
public static class SaturationThresholds
{
    /// <summary>Sigmoid outputs below this are saturated.</summary>
    public const float SigmoidLow = 0.01f;

    /// <summary>Sigmoid outputs above this are saturated.</summary>
    public const float SigmoidHigh = 0.99f;

    /// <summary>Tanh outputs with magnitude above this are saturated.</summary>
    public const float TanhAbs = 0.99f;
}
