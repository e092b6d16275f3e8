using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace AutoGrad;

public static partial class Nn
{
    /// <summary>
    /// Batch normalization with training statistics, as <see cref="BatchNorm(Tensor, Tensor, Tensor, string, int, string, string, string)"/>,
    /// that also moves <paramref name="statistics"/>' running mean and variance toward this batch's (PyTorch's
    /// <c>BatchNorm1d</c> in training mode). Normalize with them at inference through <see cref="BatchNormInference"/>.
    /// </summary>
    /// <param name="x"><c>[batch, features]</c>, with a batch of at least 2 (the running variance is unbiased).</param>
    /// <param name="gamma">Scale, <c>[features]</c>.</param>
    /// <param name="beta">Shift, <c>[features]</c>.</param>
    /// <param name="statistics">The running statistics to update, for the same number of features.</param>
    /// <param name="file">The caller's file (filled in by the compiler).</param>
    /// <param name="line">The caller's line (filled in by the compiler).</param>
    /// <param name="xExpression">The argument passed as <paramref name="x"/>, as written (filled in by the compiler).</param>
    /// <param name="gammaExpression">The argument passed as <paramref name="gamma"/>, as written (filled in by the compiler).</param>
    /// <param name="betaExpression">The argument passed as <paramref name="beta"/>, as written (filled in by the compiler).</param>
    /// <param name="statisticsExpression">The argument passed as <paramref name="statistics"/>, as written (filled in by the compiler).</param>
    [CustomPullback(nameof(BatchNormRunningPullback), ForwardInto = nameof(BatchNormRunningInto))]
    public static Tensor BatchNorm(Tensor x, Tensor gamma, Tensor beta, BatchNormStatistics statistics,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0,
        [CallerArgumentExpression(nameof(x))] string xExpression = "",
        [CallerArgumentExpression(nameof(gamma))] string gammaExpression = "",
        [CallerArgumentExpression(nameof(beta))] string betaExpression = "",
        [CallerArgumentExpression(nameof(statistics))] string statisticsExpression = "")
    {
        Tensor? result = null;
        NormalizationState? state = null;
        BatchNormRunningInto(ref result, ref state, x, gamma, beta, statistics,
            OpSite.FromCaller(nameof(BatchNorm), file, line, xExpression, gammaExpression, betaExpression, statisticsExpression));
        return result!;
    }

    /// <summary>
    /// Writes the normalized x into <paramref name="result"/>, saves what the pullback needs and updates
    /// <paramref name="statistics"/>.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void BatchNormRunningInto(
        ref Tensor? result, ref NormalizationState? state, Tensor x, Tensor gamma, Tensor beta, BatchNormStatistics statistics, OpSite site)
    {
        ArgumentNullException.ThrowIfNull(statistics, site.Argument(3, nameof(statistics)));
        BatchNormForward(ref result, ref state, x, gamma, beta, statistics, site);
    }

    /// <summary>The pullback of <see cref="BatchNormRunningInto"/>, which is <see cref="BatchNormPullback"/>'s: the running statistics are not an input of the batch's output.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void BatchNormRunningPullback(
        Tensor x, Tensor gamma, Tensor beta, BatchNormStatistics statistics, Tensor result, NormalizationState state, Tensor dResult,
        GradTarget dX, GradTarget dGamma, GradTarget dBeta, OpSite site)
    {
        // The statistics are a [NoGrad] object, so the call's argument checks do not see their tensors: a gradient buffer
        // that is one of them would overwrite the running mean or variance the forward pass just updated.
        CheckNotStatistics(dX, 0, "x", statistics, site);
        CheckNotStatistics(dGamma, 1, "gamma", statistics, site);
        CheckNotStatistics(dBeta, 2, "beta", statistics, site);
        BatchNormPullback(x, gamma, beta, result, state, dResult, dX, dGamma, dBeta, site);
    }

    private static void CheckNotStatistics(GradTarget target, int argument, string fallback, BatchNormStatistics statistics, OpSite site)
    {
        if (target.Tensor is not { } t) return;
        string? shared = t.Span.Overlaps(statistics.RunningMean.Span) ? "RunningMean"
            : t.Span.Overlaps(statistics.RunningVariance.Span) ? "RunningVariance" : null;
        if (shared is null) return;
        throw new ArgumentException(
            $"{site.Describe()}: the gradient buffer of '{site.Argument(argument, fallback)}' shares memory with the statistics' " +
            $"{shared} ('{site.Argument(3, "statistics")}'), which the backward pass would overwrite; pass a separate buffer " +
            "(Tensor.Zeros with the parameter's shape).");
    }

    /// <summary>Statistics must cover x's features; a training update also needs two rows for an unbiased variance.</summary>
    private static void CheckStatistics(BatchNormStatistics statistics, Tensor x, OpSite site, int argument, bool training)
    {
        ArgumentNullException.ThrowIfNull(statistics, site.Argument(argument, nameof(statistics)));
        int features = x.Dim(-1);
        if (statistics.Features != features)
        {
            throw new ShapeMismatchException(
                site,
                $"{site.Argument(argument, nameof(statistics))} has {statistics.Features} features but {site.Argument(0, "x")} " +
                $"has {features} ({site.Argument(0, "x")} is {x.ShapeString})");
        }
        if (training && x.Dim(0) < 2)
        {
            throw new ArgumentException(
                $"{site.Describe()}: {site.Argument(0, "x")} is {x.ShapeString}, but updating running statistics needs a batch of " +
                "at least 2 rows (their variance is unbiased, as in PyTorch); use the overload without statistics for a single row.",
                site.Argument(0, "x"));
        }
    }
}
