using System;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Scalar;

public class IntegerCornerTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void LongCounterIndexesTheGradient(bool flip)
    {
        double[] data = [1, 2, 3, 4];
        double[] start = GradCheck.Random(5, 71);
        GradCheck.Double(t => IntegerCorners.LongCounter(t[..4], data, 4, flip, t[4]), t =>
        {
            var dW = new double[4];
            double value = IntegerCorners.LongCounterGradient(t[..4], data, 4, flip, t[4], dW, out double dX);
            return (value, [.. dW, dX]);
        }, start);
    }

    [Fact]
    public void NarrowIntegersShiftAndLongArraysHoldAsInTheMethod()
    {
        double[] w = GradCheck.Random(8, 73);
        GradCheck.Double(t => IntegerCorners.NarrowShifts(t, 7, 9), t =>
        {
            var dW = new double[8];
            return (IntegerCorners.NarrowShiftsGradient(t, 7, 9, dW), dW);
        }, w);
        GradCheck.Double(t => IntegerCorners.LocalLongArray(t, 5), t =>
        {
            var dW = new double[8];
            return (IntegerCorners.LocalLongArrayGradient(t, 5, dW), dW);
        }, w);
    }

    [Fact]
    public void UnsignedShiftsIndexAsInTheMethod()
    {
        double[] w = GradCheck.Random(8, 72);
        GradCheck.Double(t => IntegerCorners.UnsignedShifts(t, -8), t =>
        {
            var dW = new double[8];
            double value = IntegerCorners.UnsignedShiftsGradient(t, -8, dW);
            return (value, dW);
        }, w);
    }

    [Theory]
    [InlineData(3.0)]
    [InlineData(-0.7)]
    public void BitsUsedAsIntegersArePiecewiseConstant(double x)
    {
        GradCheck.Double(t => IntegerCorners.ExponentScaled(t[0]), t => (IntegerCorners.ExponentScaledGradient(t[0], out double d), new[] { d }), new[] { x });
        GradCheck.Double(t => IntegerCorners.SignAndScaleFromBits(t[0]), t => (IntegerCorners.SignAndScaleFromBitsGradient(t[0], out double d), new[] { d }), new[] { x });
    }

    [Fact]
    public void ALongIndexPastIntsRangeFailsInTheGradientAsInTheMethod()
    {
        double[] w = [0.5, -1.5, 2.0];
        Assert.Throws<IndexOutOfRangeException>(() => IntegerCorners.LongIndex(w, 0.9, 4294967297L));
        Assert.Throws<IndexOutOfRangeException>(() => IntegerCorners.LongIndexGradient(w, 0.9, 4294967297L, new double[3], out _));
        Assert.Throws<IndexOutOfRangeException>(() => IntegerCorners.LongIndexGradient(w, 0.9, -4294967295L, new double[3], out _));
        // Review helper-65: a ulong past long.MaxValue fails in the method's own a[k] with an OverflowException.
        Assert.Throws<OverflowException>(() => AutoGrad.Internal.Indexes.ToInt(ulong.MaxValue));
        Assert.Throws<IndexOutOfRangeException>(() => AutoGrad.Internal.Indexes.ToInt(4294967297UL));
        Assert.Equal(5, AutoGrad.Internal.Indexes.ToInt(5UL));
        GradCheck.Double(t => IntegerCorners.LongIndex(t[..3], t[3], 2), t =>
        {
            var dW = new double[3];
            double value = IntegerCorners.LongIndexGradient(t[..3], t[3], 2, dW, out double dX);
            return (value, [.. dW, dX]);
        }, [.. w, 0.9]);
    }

    [Fact]
    public void UnrolledIntArithmeticWrapsAsAtRunTime()
    {
        double[] x = [0.5, 1.5, -0.3];
        Assert.Equal(0.15, IntegerCorners.WrappingProduct(x), 12); // the third term is x0·x1: 2 · 1500000000 wraps negative
        GradCheck.Double(IntegerCorners.WrappingProduct, t =>
        {
            var g = new double[3];
            return (IntegerCorners.WrappingProductGradient(t, g), g);
        }, x);
    }

    [Fact]
    public void BranchesTheUnrolledCounterDecidesAreDroppedFromTheirCopies()
    {
        double[] start = [0.7, 0.4, -1.1, 2.0];
        // i = 0: q = -7; i = 1: a[0]·x; i = 2: q = 7, a[1]·x; a[0]² and a[1]² (not a[2]²).
        double expected = (-7 + 7) * 0.7 + 0.4 * 0.7 + -1.1 * 0.7 + 0.4 * 0.4 + 1.1 * 1.1;
        Assert.Equal(expected, IntegerCorners.GuardedByTheCounter(start[0], start[1..]), 12);
        GradCheck.Double(t => IntegerCorners.GuardedByTheCounter(t[0], t[1..]), t =>
        {
            var dA = new double[3];
            double value = IntegerCorners.GuardedByTheCounterGradient(t[0], t[1..], out double dX, dA);
            return (value, [dX, .. dA]);
        }, start);
    }

    [Fact]
    public void NarrowingConversionsOfTheCounterWrapAsAtRunTime()
    {
        // (short)32766, 32767, 32768 = -32768; (byte)250, 260 = 4, 270 = 14; (uint)-1 = 4294967295, 0, 1;
        // i · 2⁶² wraps to -2⁶³ at i = 2.
        double factor = 32766 + 32767 - 32768 + 250 + 4 + 14 + (4294967295.0 + 0 + 1) * 1e-9 + (0 + 4611686018427387904.0 - 9223372036854775808.0) * 1e-18;
        double value = IntegerCorners.NarrowedCountersGradient(1.5, out double dX);
        Assert.Equal(factor * 1.5, value, 9);
        Assert.Equal(IntegerCorners.NarrowedCounters(1.5), value, 9);
        Assert.Equal(factor, dX, 9);
    }

    [Fact]
    public void ConstantsOfAnUnrolledCopyAreComputedAsThePrimalComputesThem()
    {
        double value = IntegerCorners.SaturatingConversionsGradient(1.5, out double dX);
        Assert.Equal(IntegerCorners.SaturatingConversions(1.5), value);
        Assert.Equal(IntegerCorners.SaturatingConversions(1.0), dX, 6);
        Assert.Equal(1.5 * (2.0 * int.MaxValue + 2.0 * long.MaxValue * 1e-18), value, 3); // both saturate

        // Not taken (x ≤ 5): nothing throws; taken: the division by zero throws, as in the primal.
        Assert.Equal(IntegerCorners.DividesInARunTimeBranch(2), IntegerCorners.DividesInARunTimeBranchGradient(2, out dX));
        Assert.Equal(0.0, dX);
        Assert.Throws<OverflowException>(() => IntegerCorners.DividesInARunTimeBranch(6));
        Assert.Throws<OverflowException>(() => IntegerCorners.DividesInARunTimeBranchGradient(6, out _));
    }

    [Fact]
    public void CountersKeepTheirTypeAndDecidedArmsTheirValue()
    {
        foreach (double x in new[] { 3.0, 0.5 })
        {
            double value = IntegerCorners.TypedCountersGradient(x, out double dX);
            Assert.Equal(IntegerCorners.TypedCounters(x), value, 9);
            Assert.Equal((IntegerCorners.TypedCounters(x + 1e-6) - IntegerCorners.TypedCounters(x - 1e-6)) / 2e-6, dX, 3);
        }
        Assert.Equal(IntegerCorners.DecidedArms(2), IntegerCorners.DecidedArmsGradient(2, out double d), 9);
        Assert.Equal(IntegerCorners.DecidedArms(1), d, 9);
        Assert.Throws<DivideByZeroException>(() => IntegerCorners.DecidedArms(6));
        Assert.Throws<DivideByZeroException>(() => IntegerCorners.DecidedArmsGradient(6, out _));
        Assert.Throws<OverflowException>(() => IntegerCorners.MinValueModulo(1));
        Assert.Throws<OverflowException>(() => IntegerCorners.MinValueModuloGradient(1, out _));
    }

    [Fact]
    public void CountersThatWouldWrapKeepTheirLoops()
    {
        double value = IntegerCorners.WrappingCountersGradient(1.3, out double dX);
        Assert.Equal(IntegerCorners.WrappingCounters(1.3), value, 9);
        Assert.Equal((IntegerCorners.WrappingCounters(1.3 + 1e-6) - IntegerCorners.WrappingCounters(1.3 - 1e-6)) / 2e-6, dX, 3);
        // (3 + 2 + 1)·x² + (1 + 2 + 3)·2⁶²·1e-18·x² + (1 + 3 + 5)·x + 7·x
        Assert.Equal(6 * 1.69 + 6 * 4.611686018427387904 * 1.69 + 16 * 1.3, value, 6);
    }

    [Fact]
    public void CompoundShifts()
    {
        double value = IntegerCorners.ShiftsGradient(1.3, 5, out double dX);
        Assert.Equal(1.3 * (32 + 1024), value, 12);
        Assert.Equal(32 + 1024, dX);
    }
}
