using System;

namespace AutoGrad.Probes;

/// <summary>
/// Declares that an op is an activation of the given family. The generator reads it to plant saturation and
/// dead-unit probes after the op and to tell the health monitor each layer's activation; ops are not special-cased.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class ProbeActivationAttribute : Attribute
{
    /// <summary>Marks an activation op.</summary>
    public ProbeActivationAttribute(ActivationKind kind, string name)
    {
        Kind = kind;
        Name = name;
    }

    /// <summary>The family the probes read it as.</summary>
    public ActivationKind Kind { get; }

    /// <summary>The activation's name as reports show it (<c>Sigmoid</c>, <c>LeakyRelu</c>, ...).</summary>
    public string Name { get; }
}
