using System;
using System.Runtime.CompilerServices;
using System.Text;

namespace AutoGrad;

/// <summary>
/// A float32 tensor: contiguous, row-major, batch-first, rank 1 to 4. It is a view over a <c>float[]</c>
/// (an offset and a shape), so reshaping and wrapping caller arrays never copy.
/// </summary>
public sealed class Tensor
{
    /// <summary>The largest rank a tensor can have.</summary>
    public const int MaxRank = 4;

    private readonly float[] _data;
    private readonly int _offset;
    private readonly int[] _shape;

    /// <summary>The last tensor this one was found to have the same shape as (shapes are immutable, so the match
    /// holds for good): lets per-step argument checks skip the comparison for the same pair.</summary>
    internal Tensor? ShapeMatched;

    /// <summary>
    /// For a buffer <see cref="EnsureShape"/> allocated: the buffers of the last <see cref="SlotShapes"/> shapes its slot
    /// held, most recent first, shared by all of them. A slot alternating between shapes (training batches of 64 and a
    /// last batch of 17; one op in a loop over layers of different widths) finds its buffer again instead of allocating.
    /// </summary>
    private Tensor?[]? _slotBuffers;

    /// <summary>How many shapes' buffers a slot keeps.</summary>
    private const int SlotShapes = 4;

    /// <summary>True for a buffer <see cref="EnsureShape"/> allocated (never a caller's tensor, which it must not reuse).</summary>
    private bool _slotBuffer;

    /// <summary>
    /// For a view a reshaping op's slot holds (<see cref="Views.Into"/>): the views that slot made before, shared
    /// by all of them, so a slot whose input alternates between buffers (two batch sizes, batches taken in turn from a
    /// few preallocated tensors) finds its view again instead of allocating one per step.
    /// </summary>
    internal Tensor?[]? SlotViews;

    /// <summary>
    /// For a feature-major copy a chained layer wrote (<see cref="Nn.LinearActivationInto(ref Tensor?, ref Tensor?, Tensor, Tensor?, Tensor, Tensor, FusedActivation, OpSite, Probes.ActivationReading)"/>):
    /// the batch-major output it is the transpose of; null once a call left it behind. The next layer reads the copy
    /// only when it belongs to its input.
    /// </summary>
    internal Tensor? TransposeOf;

    /// <summary>
    /// Wraps <paramref name="data"/> without copying: writes through the tensor are visible in the array and the
    /// other way round. The product of <paramref name="shape"/> must equal the array's length.
    /// </summary>
    public Tensor(float[] data, params int[] shape)
        : this(data, 0, shape, validateLength: true)
    {
    }

    private Tensor(float[] data, int offset, int[] shape, bool validateLength)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        int length = CheckShape(shape);
        if (validateLength && length != data.Length)
        {
            throw new ArgumentException(
                $"Shape {FormatShape(shape)} holds {length} elements but the array has {data.Length}.", nameof(shape));
        }
        if (offset < 0 || offset + length > data.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(offset));
        }
        _data = data;
        _offset = offset;
        _shape = (int[])shape.Clone();
        Length = length;
    }

    /// <summary>A new tensor of zeros with the given shape.</summary>
    public static Tensor Zeros(params int[] shape) => new(new float[CheckShape(shape)], 0, shape, validateLength: false);

    /// <summary>A new tensor with a copy of <paramref name="values"/> and the given shape.</summary>
    public static Tensor FromValues(ReadOnlySpan<float> values, params int[] shape)
    {
        var t = Zeros(shape);
        if (values.Length != t.Length)
        {
            throw new ArgumentException(
                $"Shape {FormatShape(shape)} holds {t.Length} elements but {values.Length} values were given.", nameof(values));
        }
        values.CopyTo(t.Span);
        return t;
    }

    /// <summary>
    /// Returns <paramref name="slot"/> when it already has <paramref name="shape"/>; otherwise stores a tensor of that
    /// shape in it: a buffer the slot held for that shape before, among its last four shapes, else a new zeroed one. Lets generated code and ops reuse buffers across calls without allocating, also when calls
    /// alternate between shapes (a slot keeps the buffers of its last four shapes).
    /// </summary>
    /// <remarks>
    /// The new tensor's elements start on a 64-byte boundary (its <see cref="Offset"/> may be non-zero): these are the
    /// buffers ops write their outputs and gradients into, and whole-vector loads that straddle two cache lines made
    /// an activation's backward pass over a 32 × 64 batch 1.6 times slower. A reused buffer holds whatever was last
    /// written to it, as a slot that kept its shape does.
    /// </remarks>
    public static Tensor EnsureShape(ref Tensor? slot, ReadOnlySpan<int> shape)
    {
        Tensor? t = slot;
        if (t is not null && t.HasShape(shape))
        {
            return t;
        }
        return slot = OtherShape(t, shape);
    }

    private static Tensor OtherShape(Tensor? current, ReadOnlySpan<int> shape)
    {
        Tensor?[]? kept = current is { _slotBuffer: true } ? current._slotBuffers : null;
        int found = -1;
        for (int i = 0; kept is not null && i < kept.Length && found < 0; i++)
        {
            if (kept[i] is { } candidate && candidate.HasShape(shape)) found = i;
        }
        Tensor result;
        if (found >= 0)
        {
            result = kept![found]!;
        }
        else
        {
            int[] dims = shape.ToArray();
            int length = CheckShape(dims);
            float[] data = AlignedArrays.Allocate(length, out int offset);
            kept ??= new Tensor?[SlotShapes];
            result = new Tensor(data, offset, dims, validateLength: false) { _slotBuffer = true, _slotBuffers = kept };
            found = kept.Length - 1; // the least recently used makes room
        }
        // Most recent first: shift the ones used since down by one and put this one in front.
        for (int i = found; i > 0; i--) kept![i] = kept[i - 1];
        kept![0] = result;
        return result;
    }

    /// <summary>Like <see cref="EnsureShape(ref Tensor?, ReadOnlySpan{int})"/>, with the shape of <paramref name="like"/>.</summary>
    public static Tensor EnsureLike(ref Tensor? slot, Tensor like) => EnsureShape(ref slot, like._shape);

    /// <summary>The number of dimensions (1 to 4).</summary>
    public int Rank => _shape.Length;

    /// <summary>The total number of elements.</summary>
    public int Length { get; }

    /// <summary>The shape, outermost (batch) dimension first.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>The size of dimension <paramref name="axis"/>; negative axes count from the end.</summary>
    public int Dim(int axis) => _shape[axis < 0 ? _shape.Length + axis : axis];

    /// <summary>The elements, row-major.</summary>
    public Span<float> Span
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => new(_data, _offset, Length);
    }

    /// <summary>The backing array (shared with views and with the array this tensor wraps).</summary>
    public float[] Data => _data;

    /// <summary>Where this tensor's elements start in <see cref="Data"/>.</summary>
    public int Offset => _offset;

    /// <summary>Element access by flat row-major index.</summary>
    public ref float this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Length) throw new IndexOutOfRangeException();
            return ref _data[_offset + index];
        }
    }

    /// <summary>Element access for a rank-2 tensor.</summary>
    public ref float this[int row, int column]
    {
        get
        {
            if (Rank != 2 || (uint)row >= (uint)_shape[0] || (uint)column >= (uint)_shape[1])
            {
                throw new IndexOutOfRangeException($"[{row}, {column}] is outside {ShapeString}.");
            }
            return ref _data[_offset + row * _shape[1] + column];
        }
    }

    /// <summary>
    /// A view with another shape over the same elements (no copy). One dimension may be -1 and is inferred.
    /// </summary>
    public Tensor Reshape(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        int[] resolved = (int[])shape.Clone();
        int inferAt = -1;
        int known = 1;
        for (int i = 0; i < resolved.Length; i++)
        {
            if (resolved[i] == -1)
            {
                if (inferAt >= 0) throw new ArgumentException("Only one dimension can be -1.", nameof(shape));
                inferAt = i;
            }
            else
            {
                known *= resolved[i];
            }
        }
        if (inferAt >= 0)
        {
            if (known == 0 || Length % known != 0)
            {
                throw new ArgumentException($"Cannot reshape {ShapeString} to {FormatShape(shape)}.", nameof(shape));
            }
            resolved[inferAt] = Length / known;
        }
        if (CheckShape(resolved) != Length)
        {
            throw new ArgumentException($"Cannot reshape {ShapeString} ({Length} elements) to {FormatShape(resolved)}.", nameof(shape));
        }
        return new Tensor(_data, _offset, resolved, validateLength: false);
    }

    /// <summary>A view of rows [<paramref name="start"/>, start + <paramref name="count"/>) of the outermost dimension.</summary>
    public Tensor SliceRows(int start, int count)
    {
        int rowLength = _shape[0] == 0 ? 0 : Length / _shape[0];
        if (start < 0 || count < 0 || start + count > _shape[0])
        {
            throw new ArgumentOutOfRangeException(nameof(start), $"Rows [{start}, {start + count}) are outside {ShapeString}.");
        }
        int[] shape = (int[])_shape.Clone();
        shape[0] = count;
        return new Tensor(_data, _offset + start * rowLength, shape, validateLength: false);
    }

    /// <summary>True when this tensor's shape equals <paramref name="shape"/>.</summary>
    public bool HasShape(ReadOnlySpan<int> shape)
    {
        // A plain loop: at rank 4 or less, SequenceEqual's vectorized set-up cost more than the comparison, and
        // generated code checks every gradient's shape on every step.
        int[] mine = _shape;
        if (shape.Length != mine.Length)
        {
            return false;
        }
        for (int i = 0; i < mine.Length; i++)
        {
            if (shape[i] != mine[i])
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>True when both tensors have the same shape.</summary>
    public bool SameShape(Tensor other) => other is not null && (ReferenceEquals(other, this) || HasShape(other._shape));

    /// <summary>Copies the elements into a new array.</summary>
    public float[] ToArray() => Span.ToArray();

    /// <summary>Sets every element to zero.</summary>
    public void Clear() => Span.Clear();

    /// <summary>Copies <paramref name="source"/>'s elements into this tensor; the shapes must match.</summary>
    public void CopyFrom(Tensor source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!SameShape(source))
        {
            throw new ArgumentException($"Cannot copy {source.ShapeString} into {ShapeString}.", nameof(source));
        }
        source.Span.CopyTo(Span);
    }

    /// <summary>The shape as text, e.g. <c>[64, 784]</c>.</summary>
    public string ShapeString => FormatShape(_shape);

    /// <inheritdoc />
    public override string ToString() => $"Tensor{ShapeString}";

    /// <summary>Formats a shape as <c>[a, b, ...]</c>.</summary>
    public static string FormatShape(ReadOnlySpan<int> shape)
    {
        var sb = new StringBuilder("[");
        for (int i = 0; i < shape.Length; i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append(shape[i]);
        }
        return sb.Append(']').ToString();
    }

    private static int CheckShape(ReadOnlySpan<int> shape)
    {
        if (shape.Length is < 1 or > MaxRank)
        {
            throw new ArgumentException($"A tensor has rank 1 to {MaxRank}; got rank {shape.Length}.", nameof(shape));
        }
        long length = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException($"Negative dimension in {FormatShape(shape)}.", nameof(shape));
            length *= d;
            if (length > int.MaxValue) throw new ArgumentException($"Shape {FormatShape(shape)} is too large.", nameof(shape));
        }
        return (int)length;
    }
}
