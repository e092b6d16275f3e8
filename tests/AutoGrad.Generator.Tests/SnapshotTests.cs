using System.Linq;
using AutoGrad.Generator.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Generator.Tests;

/// <summary>
/// Generated source for representative methods, compared with committed expected files. Each output must also
/// compile with zero warnings in a nullable-enabled, warnings-as-errors compilation.
/// </summary>
public class SnapshotTests
{
    private static void Verify(string name, string source)
    {
        GeneratorRunner.Result result = GeneratorRunner.Run(source);
        Assert.True(result.GeneratorDiagnostics.IsEmpty, GeneratorRunner.Describe(result.GeneratorDiagnostics));
        Assert.True(result.CompilationDiagnostics.IsEmpty, GeneratorRunner.Describe(result.CompilationDiagnostics));
        Assert.NotEmpty(result.Sources);
        string text = string.Join("\n", result.Sources.OrderBy(s => s.HintName, System.StringComparer.Ordinal)
            .Select(s => "// ---- " + s.HintName + " ----\n" + s.Text));
        Snapshot.Match(name, text);
    }

    [Fact]
    public void StraightLineScalarCode() => Verify(nameof(StraightLineScalarCode), """
        using System;
        using AutoGrad;

        namespace Samples;

        public static partial class Model
        {
            [Differentiable]
            public static double Loss(double a, double b)
            {
                var t = a * b + Math.Sin(a);
                double u = Math.Exp(-t) / b;
                return t * u - 3 * a;
            }
        }
        """);

    [Fact]
    public void RuntimeLoopWithAccumulation() => Verify(nameof(RuntimeLoopWithAccumulation), """
        using System;
        using AutoGrad;

        public static partial class Model
        {
            [Differentiable]
            public static double Loss(double a, ReadOnlySpan<double> w, [NoGrad] double[] x, int n)
            {
                double s = 0;
                for (int i = 0; i < n; i++)
                {
                    s += w[i] * x[i] * a;
                }
                return s * s;
            }
        }
        """);

    [Fact]
    public void LoopRunsJointlyWithItsReverse() => Verify(nameof(LoopRunsJointlyWithItsReverse), """
        using System;
        using AutoGrad;

        public static partial class Model
        {
            [Differentiable]
            public static double MeanSquaredError(ReadOnlySpan<double> w, [NoGrad] double[] x, [NoGrad] double[] y, int n)
            {
                double s = 0;
                for (int i = 0; i < n; i++)
                {
                    double residual = w[0] * x[i] + w[1] - y[i];
                    s += residual * residual;
                }
                return s / n;
            }
        }
        """);

    [Fact]
    public void RecurrenceSavedOnTape() => Verify(nameof(RecurrenceSavedOnTape), """
        using System;
        using AutoGrad;

        namespace Samples.Recurrent;

        public static partial class Rnn
        {
            [Differentiable]
            public static float Loss(float h0, float[] w, [NoGrad] float[] x)
            {
                float h = h0;
                for (int t = 0; t < x.Length; t++)
                {
                    h = MathF.Tanh(w[0] * h + w[1] * x[t]);
                }
                return h * h;
            }
        }
        """);

    [Fact]
    public void BranchesBreakAndEarlyReturn() => Verify(nameof(BranchesBreakAndEarlyReturn), """
        using System;
        using AutoGrad;

        public static partial class Model
        {
            [Differentiable]
            public static double Loss(double x, ReadOnlySpan<double> w, int n)
            {
                if (x < 0)
                {
                    return -x;
                }
                double s = x;
                for (int i = 0; i < n; i++)
                {
                    if (w[i] > 1) break;
                    s = s * w[i] + 1;
                }
                return s > 10 ? 10 : s;
            }
        }
        """);

    [Fact]
    public void LocalArraysCallsAndCustomPullback() => Verify(nameof(LocalArraysCallsAndCustomPullback), """
        using System;
        using AutoGrad;

        namespace Samples;

        public partial class Outer
        {
            public static partial class Model
            {
                [CustomPullback(nameof(SoftplusPullback))]
                public static double Softplus(double x) => Math.Log(1 + Math.Exp(x));
                public static void SoftplusPullback(double x, double dResult, ref double dX) => dX += dResult / (1 + Math.Exp(-x));

                [Differentiable]
                public static double Norm(ReadOnlySpan<double> v)
                {
                    double s = 0;
                    for (int i = 0; i < v.Length; i++) s += v[i] * v[i];
                    return Math.Sqrt(s);
                }

                [Differentiable]
                public static double Loss(double[] w, int n)
                {
                    var h = new double[n];
                    for (int i = 0; i < n; i++) h[i] = Softplus(w[i]);
                    for (int i = 1; i < n; i++) h[i] = h[i] * h[i - 1];
                    return Norm(h);
                }
            }
        }
        """);

    [Fact]
    public void ConstantLoopIsUnrolled() => Verify(nameof(ConstantLoopIsUnrolled), """
        using System;
        using AutoGrad;

        public static partial class Deep
        {
            [Differentiable]
            public static double Loss(double[] w, double[] b, [NoGrad] double x)
            {
                double h = x;
                for (int l = 0; l < 3; l++)
                {
                    h = Math.Tanh(w[l] * h + b[l]);
                }
                return 0.5 * h * h;
            }
        }
        """);

    [Fact]
    public void TensorMlpThroughTheWorkspace() => Verify(nameof(TensorMlpThroughTheWorkspace), """
        using AutoGrad;

        public static partial class Mlp
        {
            [Differentiable]
            public static float Loss(Tensor w1, Tensor b1, Tensor w2, Tensor b2, [NoGrad] Tensor x, [NoGrad] int[] labels)
            {
                var h = Nn.Relu(Nn.Linear(x, w1, b1));
                return Nn.SoftmaxCrossEntropy(Nn.Linear(h, w2, b2), labels);
            }
        }
        """);

    [Fact]
    public void TensorRecurrenceOverRunTimeSteps() => Verify(nameof(TensorRecurrenceOverRunTimeSteps), """
        using AutoGrad;

        public static partial class Rnn
        {
            [Differentiable]
            public static float Loss(Tensor wx, Tensor wh, Tensor b, [NoGrad] Tensor[] xs, [NoGrad] Tensor h0, [NoGrad] Tensor y, int steps)
            {
                var h = h0;
                for (int t = 0; t < steps; t++)
                {
                    h = Nn.RnnCell(xs[t], h, wx, wh, b);
                }
                return Nn.Mse(h, y);
            }
        }
        """);
}
