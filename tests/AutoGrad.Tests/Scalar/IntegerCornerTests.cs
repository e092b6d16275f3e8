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
    public void CompoundShifts()
    {
        double value = IntegerCorners.ShiftsGradient(1.3, 5, out double dX);
        Assert.Equal(1.3 * (32 + 1024), value, 12);
        Assert.Equal(32 + 1024, dX);
    }
}
