using System;
using System.ComponentModel;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace AutoGrad;

/// <summary>What <see cref="Nn.DropoutInto"/> saves for its pullback: the mask (0 or 1/(1 − p) per element).</summary>
public sealed class DropoutState
{
    internal Tensor? Mask;
}

public static partial class Nn
{
    /// <summary>
    /// Inverted dropout: each element is zeroed with probability <paramref name="p"/> and the rest are scaled by
    /// 1/(1 − p). The mask is a pure function of <paramref name="seed"/> and the element index, so the same seed
    /// drops the same elements; pass a different seed per step.
    /// </summary>
    /// <param name="x">The input, any shape.</param>
    /// <param name="p">Drop probability in [0, 1].</param>
    /// <param name="seed">Selects the mask.</param>
    /// <param name="file">The caller's file (filled in by the compiler).</param>
    /// <param name="line">The caller's line (filled in by the compiler).</param>
    /// <param name="xExpression">The argument passed as <paramref name="x"/>, as written (filled in by the compiler).</param>
    /// <param name="pExpression">The argument passed as <paramref name="p"/>, as written (filled in by the compiler).</param>
    /// <param name="seedExpression">The argument passed as <paramref name="seed"/>, as written (filled in by the compiler).</param>
    [CustomPullback(nameof(DropoutPullback), ForwardInto = nameof(DropoutInto))]
    public static Tensor Dropout(Tensor x, [NoGrad] float p, [NoGrad] int seed,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0,
        [CallerArgumentExpression(nameof(x))] string xExpression = "",
        [CallerArgumentExpression(nameof(p))] string pExpression = "",
        [CallerArgumentExpression(nameof(seed))] string seedExpression = "")
    {
        Tensor? result = null;
        DropoutState? state = null;
        DropoutInto(ref result, ref state, x, p, seed, OpSite.FromCaller(nameof(Dropout), file, line, xExpression, pExpression, seedExpression));
        return result!;
    }

    /// <summary>Draws the mask into <paramref name="state"/> and writes <c>x ⊙ mask</c> into <paramref name="result"/>.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void DropoutInto(ref Tensor? result, ref DropoutState? state, Tensor x, float p, int seed, OpSite site)
    {
        OpChecks.NotNull(x, site, 0, "x");
        if (!(p >= 0f && p <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(p), $"{site.Describe()}: the drop probability {site.Argument(1, "p")} is {p}; it must be in [0, 1].");
        }
        state ??= new DropoutState();
        Tensor mask = Tensor.EnsureLike(ref state.Mask, x);
        FillDropoutMask(mask.Span, p, seed);
        TensorPrimitives.Multiply(x.Span, mask.Span, Tensor.EnsureLike(ref result, x).Span);
    }

    /// <summary>dX (+)= dResult ⊙ mask.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void DropoutPullback(Tensor x, float p, int seed, Tensor result, DropoutState state, Tensor dResult, GradTarget dX, OpSite site)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!ActivationChecks.Backward(x, result, dResult, dX, site))
        {
            return;
        }
        Tensor mask = state.Mask ?? throw new InvalidOperationException($"{site.Describe()}: the pullback ran before the forward.");
        OpChecks.SameShape(mask, x, site, 0, "x", 0, "x");
        Grad.PutProduct(dX, dResult.Span, mask.Span);
    }

    /// <summary>
    /// Keeps element i when a SplitMix64 hash of (seed, i) maps to [p, 1): counter-based, so masks need no
    /// sequential generator state and are identical however the work is split.
    /// </summary>
    private static void FillDropoutMask(Span<float> mask, float p, int seed)
    {
        float keep = p >= 1f ? 0f : 1f / (1f - p);
        ulong threshold = (ulong)((double)p * (1UL << 24));
        ulong key = (ulong)(uint)seed * 0x9E3779B97F4A7C15UL;
        for (int i = 0; i < mask.Length; i++)
        {
            ulong z = key + (ulong)(i + 1) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            mask[i] = (z >> 40) >= threshold ? keep : 0f;
        }
    }
}
