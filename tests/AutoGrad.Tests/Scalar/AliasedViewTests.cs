using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Scalar;

/// <summary>Gradients through a local array's aliasing views, against finite differences at several points.</summary>
public class AliasedViewTests
{
    private static void TwoScalars(System.Func<double, double, double> f, GradientOfTwo gradient, int seed)
    {
        for (int k = 0; k < 3; k++)
        {
            double[] p = GradCheck.Random(2, seed + k);
            GradCheck.Double(v => f(v[0], v[1]), v =>
            {
                double value = gradient(v[0], v[1], out double dX, out double dY);
                return (value, new[] { dX, dY });
            }, p);
        }
    }

    private delegate double GradientOfTwo(double x, double y, out double dX, out double dY);

    private static void Array(System.Func<double[], double> f, System.Func<double[], double[], double> gradient, int n, int seed)
    {
        for (int k = 0; k < 3; k++)
        {
            GradCheck.Double(f, v =>
            {
                var g = new double[v.Length];
                System.Array.Fill(g, 1e30);
                return (gradient(v, g), g);
            }, GradCheck.Random(n, seed + k));
        }
    }

    [Fact] public void ArrayThenView() => TwoScalars(AliasedViews.ArrayThenView, AliasedViews.ArrayThenViewGradient, 301);

    [Fact] public void ViewThenArray() => TwoScalars(AliasedViews.ViewThenArray, AliasedViews.ViewThenArrayGradient, 311);

    [Fact] public void OverlappingViews() => TwoScalars(AliasedViews.OverlappingViews, AliasedViews.OverlappingViewsGradient, 321);

    [Fact] public void StackSlice() => TwoScalars(AliasedViews.StackSlice, AliasedViews.StackSliceGradient, 331);

    [Fact] public void ViewOfAView() => Array(AliasedViews.ViewOfAView, (x, g) => AliasedViews.ViewOfAViewGradient(x, g), 4, 341);

    [Fact] public void ShiftedRecurrence() => Array(AliasedViews.ShiftedRecurrence, (x, g) => AliasedViews.ShiftedRecurrenceGradient(x, g), 5, 351);

    [Fact]
    public void LocalReadsAnElementAViewOverwrites() =>
        Array(AliasedViews.LocalReadsAnElementAViewOverwrites, (x, g) => AliasedViews.LocalReadsAnElementAViewOverwritesGradient(x, g), 4, 361);

    [Fact] public void WholeArrayView() => TwoScalars(AliasedViews.WholeArrayView, AliasedViews.WholeArrayViewGradient, 371);

    [Fact] public void StaticFormView() => TwoScalars(AliasedViews.StaticFormView, AliasedViews.StaticFormViewGradient, 381);
}
