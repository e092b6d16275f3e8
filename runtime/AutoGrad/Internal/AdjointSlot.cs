using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace AutoGrad.Internal;

/// <summary>
/// The adjoint of one tensor value in a generated backward pass: a reusable buffer and whether anything has been
/// written to it yet. The first contribution overwrites (no clear, no read), later ones accumulate; a value whose
/// adjoint never went live is skipped entirely (its pullback would only propagate zeros).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class AdjointSlot
{
    /// <summary>The buffer; allocated on first use for a shape and reused afterwards.</summary>
    public Tensor? Tensor;

    /// <summary>True once a contribution has been written since the last reset.</summary>
    public bool Live;

    // The pair whose shapes last matched. Tensors never change shape, so while Target sees the same two objects
    // again (every step of a training loop) the shape comparison can be skipped.
    private Tensor? _matchedLike;
    private Tensor? _matchedBuffer;

    /// <summary>Where the next contribution goes, for a value shaped like <paramref name="like"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public GradTarget Target(Tensor like)
    {
        if (Live) return GradTarget.Accumulate(Tensor!);
        if (!ReferenceEquals(like, _matchedLike) || !ReferenceEquals(Tensor, _matchedBuffer))
        {
            AutoGrad.Tensor.EnsureLike(ref Tensor, like);
            _matchedLike = like;
            _matchedBuffer = Tensor;
        }
        Live = true;
        return GradTarget.Overwrite(Tensor!);
    }

    /// <summary>
    /// The buffer as a zeroed (or already live) span, for scalar code that accumulates element by element into
    /// the adjoint of a tensor it reads through <c>.Span</c>.
    /// </summary>
    public Tensor Zeroed(Tensor like)
    {
        if (!Live)
        {
            AutoGrad.Tensor.EnsureLike(ref Tensor, like);
            Tensor!.Clear();
            Live = true;
        }
        return Tensor!;
    }

    /// <summary>Adds <paramref name="source"/>'s live adjoint into this one (for <c>a = b</c> between tensor variables).</summary>
    public void AddFrom(AdjointSlot source, Tensor like)
    {
        if (!source.Live) return;
        GradTarget target = Target(like);
        if (target.IsAccumulate)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(target.Tensor!.Span, source.Tensor!.Span, target.Tensor.Span);
        }
        else
        {
            source.Tensor!.Span.CopyTo(target.Tensor!.Span);
        }
    }

    /// <summary>Wraps a caller-provided gradient tensor (a parameter's gradient output).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Bind(Tensor gradient)
    {
        // A training loop binds the same tensor every step; skipping the store skips its GC write barrier.
        if (!ReferenceEquals(Tensor, gradient)) Tensor = gradient;
        Live = false;
    }

    /// <summary>Releases the gradient tensor of a slot the current call has no parameter for.</summary>
    public void Unbind()
    {
        Tensor = null;
        Live = false;
    }

    /// <summary>Ends the backward pass for a parameter: a gradient nothing flowed into is zero (an unbound slot has none).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Finish()
    {
        if (!Live) ClearUnwritten();
    }

    // Out of line: Finish is inlined at the end of every generated backward pass, where this branch is rarely taken.
    private void ClearUnwritten() => Tensor?.Clear();
}
