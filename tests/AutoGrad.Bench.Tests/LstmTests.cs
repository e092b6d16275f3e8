using System;
using AutoGrad.Benchmarks.Objectives;
using Xunit;

namespace AutoGrad.Bench.Tests;

public sealed class LstmTests
{
    [Fact]
    public void ZeroParametersGiveTheUniformPredictionLoss()
    {
        // With every weight zero each prediction is 0, so log-softmax is −log(b + 2) for every entry and the loss is
        // log(b + 2)·Σ(sequence after the first character)/count, whatever the state.
        const int L = 2, C = 5, B = 3;
        LstmProblem p = LstmProblem.Create(L, C, B, seed: 31);
        double[] zerosMain = new double[8 * B * L];
        double[] zerosExtra = new double[3 * B];
        double sum = 0.0;
        for (int i = B; i < C * B; i++)
        {
            sum += p.Sequence[i];
        }
        double expected = Math.Log(B + 2.0) * sum / ((C - 1) * B);
        Assert.Equal(expected, Lstm.Objective(zerosMain, zerosExtra, p.State, p.Sequence, L, C, B), 13);
    }

    [Fact]
    public void ValueMatchesAnIndependentReference()
    {
        // l = 2, c = 3, b = 2 with patterned inputs; 0.7127438272710875 was computed by a separate Python
        // transcription of ADBench's lstm_objective (per-layer hidden/cell lists, no shared buffers).
        const int L = 2, C = 3, B = 2;
        double[] main = Pattern(8 * B * L, i => 0.1 * (3 * i % 7) - 0.3);
        double[] extra = Pattern(3 * B, i => 0.2 * (5 * i % 4) - 0.25);
        double[] state = Pattern(2 * B * L, i => 0.15 * (i % 5) - 0.3);
        double[] sequence = Pattern(C * B, i => 0.25 * ((2 * i + 1) % 4));
        Assert.Equal(0.7127438272710875, Lstm.Objective(main, extra, state, sequence, L, C, B), 13);
    }

    [Fact]
    public void HandWrittenGradientMatchesFiniteDifferences()
    {
        const int L = 2, C = 6, B = 4;
        LstmProblem p = LstmProblem.Create(L, C, B, seed: 32);
        double[] dMain = FiniteDifferences.Poisoned(p.MainParams.Length);
        double[] dExtra = FiniteDifferences.Poisoned(p.ExtraParams.Length);

        double value = Lstm.ObjectiveGradientByHand(p.MainParams, p.ExtraParams, p.State, p.Sequence, L, C, B, dMain, dExtra);

        Assert.Equal(Lstm.Objective(p.MainParams, p.ExtraParams, p.State, p.Sequence, L, C, B), value, 12);
        FiniteDifferences.AssertClose(FiniteDifferences.Gradient(
            w => Lstm.Objective(w, p.ExtraParams, p.State, p.Sequence, L, C, B), p.MainParams), dMain, "dMainParams",
            absolute: 1e-8);
        FiniteDifferences.AssertClose(FiniteDifferences.Gradient(
            e => Lstm.Objective(p.MainParams, e, p.State, p.Sequence, L, C, B), p.ExtraParams), dExtra, "dExtraParams",
            absolute: 1e-8);
    }

    [Fact]
    public void InitialStateIsLeftUnchanged()
    {
        const int L = 2, C = 4, B = 3;
        LstmProblem p = LstmProblem.Create(L, C, B, seed: 33);
        double[] before = (double[])p.State.Clone();
        Lstm.Objective(p.MainParams, p.ExtraParams, p.State, p.Sequence, L, C, B);
        Lstm.ObjectiveGradientByHand(p.MainParams, p.ExtraParams, p.State, p.Sequence, L, C, B,
            new double[p.MainParams.Length], new double[p.ExtraParams.Length]);
        Assert.Equal(before, p.State);
    }

    [Fact]
    public void SequenceOfTheWrongLengthIsRejected()
    {
        LstmProblem p = LstmProblem.Create(1, 3, 2, seed: 34);
        var error = Assert.Throws<ArgumentException>(() => Lstm.ObjectiveGradientByHand(
            p.MainParams, p.ExtraParams, p.State, new double[5], 1, 3, 2, new double[16], new double[6]));
        Assert.Equal("sequence", error.ParamName);
    }

    private static double[] Pattern(int length, Func<int, double> value)
    {
        double[] values = new double[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = value(i);
        }
        return values;
    }
}
