using System.ComponentModel;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using AutoGrad.Kernels;

namespace AutoGrad;

public static partial class Nn
{
    /// <summary>
    /// Binary cross-entropy of sigmoid(logits) against targets in [0, 1], averaged over all elements, computed as
    /// <c>max(x, 0) − x·t + log(1 + e^(−|x|))</c> so it never overflows (PyTorch's <c>BCEWithLogitsLoss</c>).
    /// </summary>
    /// <param name="logits">Logits, any shape.</param>
    /// <param name="targets">Targets, the same shape.</param>
    /// <param name="file">The caller's file (filled in by the compiler).</param>
    /// <param name="line">The caller's line (filled in by the compiler).</param>
    /// <param name="logitsExpression">The argument passed as <paramref name="logits"/>, as written (filled in by the compiler).</param>
    /// <param name="targetsExpression">The argument passed as <paramref name="targets"/>, as written (filled in by the compiler).</param>
    [CustomPullback(nameof(BinaryCrossEntropyWithLogitsPullback), ForwardInto = nameof(BinaryCrossEntropyWithLogitsInto))]
    public static float BinaryCrossEntropyWithLogits(Tensor logits, Tensor targets,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0,
        [CallerArgumentExpression(nameof(logits))] string logitsExpression = "", [CallerArgumentExpression(nameof(targets))] string targetsExpression = "") =>
        BinaryCrossEntropyWithLogitsInto(
            logits, targets, OpSite.FromCaller(nameof(BinaryCrossEntropyWithLogits), file, line, logitsExpression, targetsExpression));

    /// <summary>Returns the mean loss.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static float BinaryCrossEntropyWithLogitsInto(Tensor logits, Tensor targets, OpSite site)
    {
        OpChecks.SameShape(logits, targets, site, 0, "logits", 1, "targets");
        int n = logits.Length;
        // Each element's loss before any sum: max(x, 0) − x·t first, which is exactly 0 for a confident right answer
        // (x = 1e8, t = 1) however large x is, then the softplus, which may be far smaller. Summing the three terms
        // over the batch separately cancelled them catastrophically (one logit of 1e8 took the whole batch's loss to
        // 0) and overflowed each to ∞ at logits near float's limit (∞ − ∞ = NaN).
        // The tail log(1 + e^(−|x|)) corrected for the rounding of 1 + t (TensorPrimitives.LogP1 is log(1 + t) as it
        // stands, 0 from |x| = 17 on). Each loss is divided by n before the sum, so two losses near float's limit do not
        // overflow a mean that fits.
        var loss = Scratch.Get(1, n);
        TensorPrimitives.Max(logits.Span, 0f, loss);
        var term = Scratch.Get(0, n);
        TensorPrimitives.Multiply(logits.Span, targets.Span, term);
        TensorPrimitives.Subtract(loss, term, loss);
        TensorPrimitives.Abs(logits.Span, term);
        TensorPrimitives.Negate(term, term);
        TensorPrimitives.Exp(term, term);
        var logOfSum = Scratch.Get(2, n);
        TensorPrimitives.Add(term, 1f, logOfSum);
        TensorPrimitives.Log(logOfSum, logOfSum);
        Elementwise.Map(new AddLogOnePlus(), loss, term, logOfSum, loss, accumulate: false);
        TensorPrimitives.Multiply(loss, 1f / n, loss);
        return BlockedSums.Sum(loss);
    }

    /// <summary>dLogits (+)= dResult·(sigmoid(x) − t)/n; dTargets (+)= −dResult·x/n.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void BinaryCrossEntropyWithLogitsPullback(
        Tensor logits, Tensor targets, float result, float dResult, GradTarget dLogits, GradTarget dTargets, OpSite site)
    {
        OpChecks.SameShape(logits, targets, site, 0, "logits", 1, "targets");
        OpChecks.Gradient(dLogits, logits, site, 0, "logits");
        OpChecks.Gradient(dTargets, targets, site, 1, "targets");
        float scale = dResult / logits.Length;
        if (dLogits.IsActive)
        {
            var s = Scratch.Get(0, logits.Length);
            SigmoidKernel.Apply(logits.Span, s);
            TensorPrimitives.Subtract(s, targets.Span, s);
            Grad.PutScaled(dLogits, s, scale);
        }
        if (dTargets.IsActive)
        {
            Grad.PutScaled(dTargets, logits.Span, -scale);
        }
    }
}
