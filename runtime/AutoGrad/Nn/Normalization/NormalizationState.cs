namespace AutoGrad;

/// <summary>
/// What <see cref="Nn.LayerNormInto"/> and <see cref="Nn.BatchNormInto"/> save for their pullbacks: the normalized
/// input x̂ and one reciprocal standard deviation per normalized group (row for layer norm, feature for batch norm).
/// </summary>
public sealed class NormalizationState
{
    internal Tensor? Normalized;
    internal Tensor? InverseStd;
    internal Tensor? Mean;
}
