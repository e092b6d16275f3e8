using System;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace AutoGrad.Internal;

/// <summary>
/// Checks the generated <c>{Method}Gradient</c> methods run before any work: no gradient buffer may share memory with
/// an argument or with another gradient buffer. The backward pass reads the arguments after it has begun writing the
/// gradients (a linear layer's weight gradient is written before the weights are read for the input gradient), so an
/// overlap would make the gradients silently wrong.
/// </summary>
/// <remarks>
/// For tensors, one instance per generated method and thread remembers the tensors of the last call that passed:
/// a training loop passes the same tensors every step, and a tensor's storage never changes, so a step pays one
/// reference comparison per tensor. Any other call checks each changed tensor against the others (every pair, the first
/// time or after a refused call). A method without <c>Tensor[]</c> parameters gives each tensor a fixed position
/// (<see cref="Track"/>), which lets the comparisons be inlined with no store, and skips its gradients' shape checks
/// too while <see cref="Changed"/> is false; one with them adds tensors in order (<see cref="Begin"/>,
/// <see cref="Add(Tensor)"/>, <see cref="Check(string)"/>).
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class GradientAliasing
{
    private Tensor?[] _tensors = new Tensor?[16];
    private int[] _groupOf = new int[16];
    private int[] _indexInGroup = new int[16];
    private int[] _groupLengths = new int[8];
    private int[] _dirty = new int[16];

    // Positions whose tensor changed since the last check that passed (Track; Add uses _dirty).
    private bool[] _changedAt = new bool[16];
    private bool _anyChanged;
    private int _dirtyCount;
    private int _count;
    private int _groups;
    private int _gradientCount;

    // The arguments' layout changed (a Tensor[] of another length): positions no longer match the last call's.
    private bool _relaid = true;

    /// <summary>Throws if two spans of the same element type overlap (a gradient buffer and an argument or another gradient).</summary>
    /// <param name="gradient">The gradient buffer.</param>
    /// <param name="other">An argument, or another gradient buffer.</param>
    /// <param name="gradientName">The gradient buffer's parameter name, e.g. <c>dW</c>.</param>
    /// <param name="otherName">The other buffer's parameter name.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CheckDisjoint<T>(ReadOnlySpan<T> gradient, ReadOnlySpan<T> other, string gradientName, string otherName)
    {
        if (gradient.Overlaps(other)) ThrowOverlap(gradientName, otherName, tensor: false);
    }

    /// <summary>Throws if a float gradient span overlaps a tensor argument's elements (null for a [NoGrad] one that is null).</summary>
    public static void CheckDisjoint(ReadOnlySpan<float> gradient, Tensor? other, string gradientName, string otherName)
    {
        if (other is not null && gradient.Overlaps(other.Span)) ThrowOverlap(gradientName, otherName, tensor: false);
    }

    /// <summary>Throws if a float gradient span overlaps the elements of any tensor of a <c>Tensor[]</c> argument.</summary>
    public static void CheckDisjoint(ReadOnlySpan<float> gradient, Tensor?[]? others, string gradientName, string otherName)
    {
        if (others is null) return;
        for (int i = 0; i < others.Length; i++)
        {
            if (others[i] is { } other && gradient.Overlaps(other.Span))
            {
                ThrowOverlap(gradientName, otherName + "[" + i.ToString(CultureInfo.InvariantCulture) + "]", tensor: false);
            }
        }
    }

    /// <summary>Throws if a gradient tensor's elements overlap a float array or span argument.</summary>
    public static void CheckDisjoint(Tensor? gradient, ReadOnlySpan<float> other, string gradientName, string otherName)
    {
        if (gradient is not null && other.Overlaps(gradient.Span)) ThrowOverlap(gradientName, otherName);
    }

    /// <summary>Throws if any tensor of a <c>Tensor[]</c> gradient overlaps a float array or span argument.</summary>
    public static void CheckDisjoint(Tensor?[]? gradients, ReadOnlySpan<float> other, string gradientName, string otherName)
    {
        if (gradients is null) return;
        for (int i = 0; i < gradients.Length; i++)
        {
            if (gradients[i] is { } gradient && other.Overlaps(gradient.Span))
            {
                ThrowOverlap(gradientName + "[" + i.ToString(CultureInfo.InvariantCulture) + "]", otherName);
            }
        }
    }

    /// <summary>Starts the check of one call: its gradient tensors, then its other tensor arguments, follow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Begin()
    {
        _count = 0;
        _groups = 0;
        _dirtyCount = 0;
    }

    /// <summary>Adds a gradient tensor or a tensor argument (null for a [NoGrad] argument that is null).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(Tensor? tensor)
    {
        int k = _count;
        if (k < _tensors.Length && ReferenceEquals(_tensors[k], tensor) && !_relaid)
        {
            // The same tensor where the last call had it, and no Tensor[] of another length before it: the names an
            // error message would use for position k are the last call's.
            _count = k + 1;
            _groups++;
            return;
        }
        Store(tensor, _groups++, -1);
    }

    /// <summary>Adds the tensors of a <c>Tensor[]</c> gradient or argument.</summary>
    public void Add(Tensor?[]? tensors)
    {
        int length = tensors?.Length ?? 0;
        int group = _groups;
        if (group >= _groupLengths.Length) Array.Resize(ref _groupLengths, group * 2);
        if (_groupLengths[group] != length)
        {
            _relaid = true;
            _groupLengths[group] = length;
        }
        for (int i = 0; i < length; i++)
        {
            Tensor? t = tensors![i];
            int k = _count;
            if (k < _tensors.Length && ReferenceEquals(_tensors[k], t) && !_relaid)
            {
                _count = k + 1;
                continue;
            }
            Store(t, group, i);
        }
        _groups = group + 1;
    }

    /// <summary>Marks the end of the gradients: what is added after this is an argument.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void EndGradients()
    {
        if (_gradientCount != _count)
        {
            _relaid = true;
            _gradientCount = _count;
        }
    }

    /// <summary>
    /// Ends the call. Tensors at the positions the last call that passed had them were checked then; each other one
    /// is checked now, a gradient against every tensor and an argument against every gradient (a training loop that
    /// slices a new minibatch every step checks that one tensor). Another layout checks every pair.
    /// </summary>
    /// <param name="names">The parameter names in the order they were added, separated by commas.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Check(string names)
    {
        if (_relaid || _dirtyCount > 0) CheckChanged(names);
    }

    /// <summary>
    /// Notes the tensor at <paramref name="position"/> for a method whose tensors all have fixed positions (no
    /// <c>Tensor[]</c> parameter): its gradients first, then its other tensor arguments, in parameter order.
    /// </summary>
    /// <remarks>A step that passes the last step's tensors pays one reference comparison per tensor and no store.</remarks>
    /// <param name="position">The tensor's position.</param>
    /// <param name="tensor">The tensor (null for a [NoGrad] argument that is null).</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Track(int position, Tensor? tensor)
    {
        Tensor?[] last = _tensors;
        if ((uint)position >= (uint)last.Length || !ReferenceEquals(last[position], tensor)) TrackChanged(position, tensor);
    }

    /// <summary>
    /// True unless every tensor given to <see cref="Track"/> since the last <see cref="Check(string, int, int)"/> that
    /// passed is the one that check saw: then the call's argument checks (shapes and aliasing) passed already, as a
    /// tensor's shape and storage never change.
    /// </summary>
    public bool Changed
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _anyChanged | _relaid;
    }

    /// <summary>Checks the tracked tensors that changed (all of them the first time), a gradient against every tensor and an argument against every gradient.</summary>
    /// <param name="names">The parameter names in position order, separated by commas.</param>
    /// <param name="count">How many tensors the method tracks.</param>
    /// <param name="gradientCount">How many of them, first, are gradients.</param>
    public void Check(string names, int count, int gradientCount)
    {
        if (count > _tensors.Length) Grow(count);
        _count = count;
        _gradientCount = gradientCount;
        for (int k = 0; k < count; k++)
        {
            // Positions are parameters: the names an error message uses.
            _groupOf[k] = k;
            _indexInGroup[k] = -1;
        }
        for (int k = 0; k < (_relaid ? gradientCount : count); k++)
        {
            if (_relaid || _changedAt[k]) CheckEntry(k, names);
        }
        Array.Clear(_changedAt);
        _anyChanged = false;
        _relaid = false;
    }

    private void TrackChanged(int position, Tensor? tensor)
    {
        if (position >= _tensors.Length) Grow(position + 1);
        _tensors[position] = tensor;
        _changedAt[position] = true;
        _anyChanged = true;
    }

    private void Grow(int length)
    {
        int size = Math.Max(length, _tensors.Length * 2);
        Array.Resize(ref _tensors, size);
        Array.Resize(ref _groupOf, size);
        Array.Resize(ref _indexInGroup, size);
        Array.Resize(ref _changedAt, size);
    }

    private void Store(Tensor? tensor, int group, int index)
    {
        int k = _count;
        if (k >= _tensors.Length) Grow(k + 1);
        if (_dirtyCount >= _dirty.Length) Array.Resize(ref _dirty, _dirty.Length * 2);
        _dirty[_dirtyCount++] = k;
        _tensors[k] = tensor;
        _groupOf[k] = group;
        _indexInGroup[k] = index;
        _count = k + 1;
    }

    private void CheckChanged(string names)
    {
        if (_relaid)
        {
            for (int i = 0; i < _gradientCount; i++) CheckEntry(i, names);
        }
        else
        {
            for (int d = 0; d < _dirtyCount; d++) CheckEntry(_dirty[d], names);
        }
        // Entries past this call's count are stale: a later call with more tensors must not match them.
        Array.Clear(_tensors, _count, _tensors.Length - _count);
        _relaid = false;
    }

    /// <summary>A gradient against every other tensor; an argument against every gradient.</summary>
    private void CheckEntry(int k, string names)
    {
        if (_tensors[k] is not { } tensor) return;
        int end = k < _gradientCount ? _count : _gradientCount;
        for (int j = 0; j < end; j++)
        {
            if (j == k || _tensors[j] is not { } other || !Overlap(tensor, other)) continue;
            bool gradientFirst = k < _gradientCount;
            string first = Name(names, gradientFirst ? k : j), second = Name(names, gradientFirst ? j : k);
            // Forget every tensor: the next call is checked in full.
            Array.Clear(_tensors);
            _relaid = true;
            ThrowOverlap(first, second);
        }
    }

    private static bool Overlap(Tensor a, Tensor b) => a.Span.Overlaps(b.Span);

    /// <summary>The name of entry <paramref name="k"/>: its parameter, with the index for an element of a <c>Tensor[]</c>.</summary>
    private string Name(string names, int k)
    {
        string[] parameters = names.Split(',');
        int group = _groupOf[k];
        string name = group < parameters.Length ? parameters[group].Trim() : "argument " + group.ToString(CultureInfo.InvariantCulture);
        return _indexInGroup[k] < 0 ? name : name + "[" + _indexInGroup[k].ToString(CultureInfo.InvariantCulture) + "]";
    }

    [DoesNotReturn]
    private static void ThrowOverlap(string gradientName, string otherName, bool tensor = true) =>
        throw new ArgumentException(
            $"The gradient buffer '{gradientName}' shares memory with '{otherName}'. The backward pass reads the " +
            $"arguments while it writes the gradients, so the gradients would be wrong; pass a separate buffer for " +
            $"'{gradientName}' ({(tensor ? "Tensor.Zeros with the parameter's shape" : "a new array of the parameter's length")}).", gradientName);
}
