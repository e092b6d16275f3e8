using System;
using System.Collections;
using System.Collections.Generic;

namespace AutoGrad.Optim;

/// <summary>
/// The model's trainable parameters in a fixed order. Build it once before training; optimizers allocate their
/// state against it, and the health monitor reads weights (for n_in·Var(W)) and update ratios from it.
/// Supports collection initializers: <c>new ParameterList { { "w1", w1, dW1 }, { "b1", b1, dB1 } }</c>.
/// </summary>
public sealed class ParameterList : IReadOnlyList<Parameter>
{
    private readonly List<Parameter> _items = new();

    /// <summary>Creates an empty list.</summary>
    public ParameterList()
    {
    }

    /// <summary>Creates a list from (parameter, gradient) pairs, named <c>p0</c>, <c>p1</c>, ... in order.</summary>
    public ParameterList(IEnumerable<(Tensor Parameter, Tensor Gradient)> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        foreach (var (value, gradient) in pairs)
        {
            Add("p" + _items.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), value, gradient);
        }
    }

    /// <summary>Adds a parameter.</summary>
    public void Add(string name, Tensor value, Tensor gradient) => Add(new Parameter(name, value, gradient));

    /// <summary>Adds a parameter.</summary>
    public void Add(Parameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        foreach (Parameter p in _items)
        {
            if (p.Name == parameter.Name)
            {
                throw new ArgumentException($"A parameter named '{parameter.Name}' is already in the list.", nameof(parameter));
            }
            // Shared storage, not only the same Tensor object (a Reshape view, two tensors over one array): an optimizer
            // would update those weights twice per step (PyTorch warns of duplicate parameters), and clipping would
            // count and scale a shared gradient twice.
            if (parameter.Value.Span.Overlaps(p.Value.Span))
            {
                throw new ArgumentException(
                    $"'{parameter.Name}' shares its weights with '{p.Name}', already in the list (the same tensor, a view of it, " +
                    "or a tensor over the same array); an optimizer would update them twice per step. Add each tensor once.",
                    nameof(parameter));
            }
            if (parameter.Gradient.Span.Overlaps(p.Gradient.Span) || parameter.Gradient.Span.Overlaps(p.Value.Span) ||
                parameter.Value.Span.Overlaps(p.Gradient.Span))
            {
                throw new ArgumentException(
                    $"'{parameter.Name}' and '{p.Name}', already in the list, share memory between a gradient buffer and another " +
                    "buffer; give every parameter a gradient buffer of its own (Tensor.Zeros with its shape).", nameof(parameter));
            }
        }
        _items.Add(parameter);
        Version++;
    }

    /// <summary>Changes whenever a parameter is added, so consumers that cache a mapping know to rebuild it.</summary>
    public int Version { get; private set; }

    /// <inheritdoc />
    public Parameter this[int index] => _items[index];

    /// <inheritdoc />
    public int Count => _items.Count;

    /// <summary>The parameter with this name, or null.</summary>
    public Parameter? Find(string name)
    {
        foreach (Parameter p in _items)
        {
            if (p.Name == name) return p;
        }
        return null;
    }

    /// <summary>Enumerates without allocating (a struct enumerator).</summary>
    public List<Parameter>.Enumerator GetEnumerator() => _items.GetEnumerator();

    IEnumerator<Parameter> IEnumerable<Parameter>.GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();
}
