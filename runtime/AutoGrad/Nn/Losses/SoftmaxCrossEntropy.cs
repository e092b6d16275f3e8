using System;
using System.ComponentModel;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using AutoGrad.Kernels;

namespace AutoGrad;

/// <summary>What <see cref="Nn.SoftmaxCrossEntropyInto"/> saves for its pullback: the softmax probabilities.</summary>
public sealed class SoftmaxCrossEntropyState
{
    internal Tensor? Probabilities;
}

public static partial class Nn
{
    /// <summary>
    /// Cross-entropy of softmax(logits) against class labels, averaged over the batch: <c>mean_b (log Σ exp z_b − z_b[label_b])</c>.
    /// </summary>
    /// <param name="logits"><c>[batch, classes]</c>.</param>
    /// <param name="labels">One class index in [0, classes) per row.</param>
    /// <param name="file">The caller's file (filled in by the compiler).</param>
    /// <param name="line">The caller's line (filled in by the compiler).</param>
    /// <param name="logitsExpression">The argument passed as <paramref name="logits"/>, as written (filled in by the compiler).</param>
    /// <param name="labelsExpression">The argument passed as <paramref name="labels"/>, as written (filled in by the compiler).</param>
    [CustomPullback(nameof(SoftmaxCrossEntropyPullback), ForwardInto = nameof(SoftmaxCrossEntropyInto))]
    public static float SoftmaxCrossEntropy(
        Tensor logits, [NoGrad] ReadOnlySpan<int> labels,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0,
        [CallerArgumentExpression(nameof(logits))] string logitsExpression = "",
        [CallerArgumentExpression(nameof(labels))] string labelsExpression = "")
    {
        SoftmaxCrossEntropyState? state = null;
        return SoftmaxCrossEntropyInto(
            ref state, logits, labels, OpSite.FromCaller(nameof(SoftmaxCrossEntropy), file, line, logitsExpression, labelsExpression));
    }

    /// <summary>Returns the mean loss and saves the probabilities in <paramref name="state"/>.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static float SoftmaxCrossEntropyInto(ref SoftmaxCrossEntropyState? state, Tensor logits, ReadOnlySpan<int> labels, OpSite site)
    {
        CheckCrossEntropy(logits, labels, site);
        state ??= new SoftmaxCrossEntropyState();
        Tensor p = Tensor.EnsureLike(ref state.Probabilities, logits);
        int batch = logits.Dim(0), classes = logits.Dim(1);
        double total = 0;
        for (int b = 0; b < batch; b++)
        {
            float logSum = RowSoftmax(logits.Span.Slice(b * classes, classes), p.Span.Slice(b * classes, classes));
            total += logSum - logits.Span[b * classes + labels[b]];
        }
        Elementwise.Map(new ZeroBelow(ProbabilityFloor), p.Span, p.Span, accumulate: false);
        return (float)(total / batch);
    }

    /// <summary>dLogits (+)= dResult·(softmax − onehot(labels)) / batch.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void SoftmaxCrossEntropyPullback(
        Tensor logits, ReadOnlySpan<int> labels, float result, SoftmaxCrossEntropyState state, float dResult, GradTarget dLogits, OpSite site)
    {
        CheckCrossEntropy(logits, labels, site);
        ArgumentNullException.ThrowIfNull(state);
        OpChecks.Gradient(dLogits, logits, site, 0, "logits");
        Tensor p = state.Probabilities ?? throw new InvalidOperationException($"{site.Describe()}: the pullback ran before the forward.");
        OpChecks.SameShape(p, logits, site, 0, "logits", 0, "logits");
        if (!dLogits.IsActive)
        {
            return;
        }
        int batch = logits.Dim(0), classes = logits.Dim(1);
        float scale = dResult / batch;
        Span<float> dst = dLogits.Tensor!.Span;
        if (dLogits.IsAccumulate)
        {
            TensorPrimitives.MultiplyAdd(p.Span, scale, dst, dst);
        }
        else
        {
            TensorPrimitives.Multiply(p.Span, scale, dst);
        }
        for (int b = 0; b < batch; b++)
        {
            dst[b * classes + labels[b]] -= scale;
        }
    }

    private static void CheckCrossEntropy(Tensor logits, ReadOnlySpan<int> labels, OpSite site)
    {
        OpChecks.Matrix(logits, site, 0, "logits", "batch, classes");
        if (labels.Length != logits.Dim(0))
        {
            string name = site.Argument(0, "logits");
            throw new ShapeMismatchException(
                site,
                $"{site.Argument(1, "labels")} has {labels.Length} labels but {name} has {logits.Dim(0)} rows ({name} is {logits.ShapeString})");
        }
        int classes = logits.Dim(1);
        for (int b = 0; b < labels.Length; b++)
        {
            if ((uint)labels[b] >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(labels),
                    $"{site.Describe()}: {site.Argument(1, "labels")}[{b}] is {labels[b]} but {site.Argument(0, "logits")} has {classes} classes (valid labels are 0..{classes - 1})");
            }
        }
    }
}
