using System;
using System.Collections.Generic;

namespace InspectGenerated;

/// <summary>Checks <see cref="Examples.LeastSquares"/>'s generated gradient against central finite differences.</summary>
public static class ScalarChecks
{
    private static readonly double[] X = [0.0, 1.0, 2.0, 3.0];
    private static readonly double[] Y = [1.0, 3.1, 4.9, 7.2];

    /// <summary>dLoss/da and dLoss/dw[i] at a = 1.5, w = [1.2, 0.4].</summary>
    public static IReadOnlyList<GradientCheck> Run()
    {
        double a = 1.5;
        double[] w = [1.2, 0.4];
        var dW = new double[w.Length];
        Examples.LeastSquaresGradient(a, w, X, Y, X.Length, out double dA, dW);

        var checks = new List<GradientCheck> { new("dLoss/da", dA, Central(v => Examples.LeastSquares(v, w, X, Y, X.Length), a)) };
        for (int i = 0; i < w.Length; i++)
        {
            double[] probe = (double[])w.Clone();
            int k = i;
            checks.Add(new($"dLoss/dw[{i}]", dW[i], Central(v => { probe[k] = v; return Examples.LeastSquares(a, probe, X, Y, X.Length); }, w[i])));
        }
        return checks;
    }

    private static double Central(Func<double, double> f, double at, double h = 1e-6) => (f(at + h) - f(at - h)) / (2 * h);
}
