using System;
using System.Globalization;
using AutoGrad;

namespace GettingStarted;

/// <summary>Prints a function's value and its generated gradient, next to a finite-difference check.</summary>
public static partial class Program
{
    /// <summary>A small regularised least-squares loss: Σ (w·xᵢ·a - yᵢ)² + λ‖w‖².</summary>
    [Differentiable]
    public static double Loss(double a, ReadOnlySpan<double> w, [NoGrad] double[] x, [NoGrad] double[] y, int n)
    {
        double loss = 0;
        for (int i = 0; i < n; i++)
        {
            double prediction = a * (w[0] * x[i] + w[1]);
            double error = prediction - y[i];
            loss += error * error;
        }
        return loss / n + 0.01 * (w[0] * w[0] + w[1] * w[1]);
    }

    public static int Main()
    {
        double[] x = { 0.0, 1.0, 2.0, 3.0 };
        double[] y = { 1.0, 3.1, 4.9, 7.2 };
        double a = 1.5;
        double[] w = { 1.2, 0.4 };
        var dW = new double[2];

        double value = LossGradient(a, w, x, y, x.Length, out double dA, dW);

        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        Console.WriteLine($"Loss(a = {a}, w = [{w[0]}, {w[1]}]) = {value:F6}");
        Console.WriteLine($"  dLoss/da    = {dA,12:F6}   (finite difference {Numeric(v => Loss(v, w, x, y, x.Length), a),12:F6})");
        for (int i = 0; i < w.Length; i++)
        {
            int k = i;
            double numeric = Numeric(v => { var ww = (double[])w.Clone(); ww[k] = v; return Loss(a, ww, x, y, x.Length); }, w[k]);
            Console.WriteLine($"  dLoss/dw[{i}] = {dW[i],12:F6}   (finite difference {numeric,12:F6})");
        }
        Console.WriteLine("The gradient code was generated at compile time: see LossGradient in obj/generated (EmitCompilerGeneratedFiles).");
        return 0;
    }

    private static double Numeric(Func<double, double> f, double at, double h = 1e-6) => (f(at + h) - f(at - h)) / (2 * h);
}
