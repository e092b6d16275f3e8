namespace AutoGrad.Probes;

/// <summary>The activation families the probes know how to read.</summary>
public enum ActivationKind
{
    /// <summary>No activation, or one without a saturation or dead-unit reading.</summary>
    None,

    /// <summary>Logistic sigmoid: saturates near 0 and 1, derivative at most 0.25.</summary>
    Sigmoid,

    /// <summary>Hyperbolic tangent: saturates near ±1, derivative at most 1.</summary>
    Tanh,

    /// <summary>ReLU family (ReLU, leaky ReLU, ELU, SELU, GELU, SiLU): units can die (never positive).</summary>
    Relu,
}
