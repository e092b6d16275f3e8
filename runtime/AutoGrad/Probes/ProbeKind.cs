namespace AutoGrad.Probes;

/// <summary>What a probe site measures.</summary>
public enum ProbeKind
{
    /// <summary>The gradient of a differentiable parameter (a weight, a bias, a scalar input).</summary>
    Parameter,

    /// <summary>The adjoint ∂L/∂h of a layer's output: the signal that reaches that layer on its way back.</summary>
    LayerOutput,

    /// <summary>An activation's forward output: the fraction of saturated (sigmoid/tanh) or dead (ReLU-family) units.</summary>
    Activation,

    /// <summary>An op call in the forward pass (not a layer reading): used to name where a NaN or infinity first
    /// appeared, with its source line.</summary>
    Operation,
}
