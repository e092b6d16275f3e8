using System;
using System.Linq;
using AutoGrad.Probes;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Tensors;

/// <summary>
/// Parameters read by one op and also outside any op (review helper-63): their probe was read right after that op's
/// pullback, before scalar code or a copy added the rest of the gradient. The norm the monitor and global-norm
/// clipping used was the op's part alone (21.6 against 24.8; 12 times too small in a GEMM epilogue).
/// </summary>
public static partial class ParameterReadOutsideOps
{
    [Differentiable]
    public static float SpanPenalty(Tensor w, [NoGrad] Tensor x, [NoGrad] Tensor y)
    {
        var ws = w.Span;
        float penalty = 0;
        for (int i = 0; i < ws.Length; i++) penalty += ws[i] * ws[i];
        return Nn.Mse(Nn.MatMul(x, w), y) + penalty;
    }

    [Differentiable]
    public static float FusedLayerAndPenalty(Tensor w, Tensor b, [NoGrad] Tensor x, [NoGrad] Tensor y)
    {
        var ws = w.Span;
        float penalty = 0;
        for (int i = 0; i < ws.Length; i++) penalty += ws[i] * ws[i];
        return Nn.Mse(Nn.Tanh(Nn.Linear(x, w, b)), y) + penalty; // tanh: a ReLU kink near a sample spoils finite differences
    }

    /// <summary>Review helper-64: a shape read (w.Dim(0)) carries no gradient, so w is still probed in its op.</summary>
    [Differentiable]
    public static float ScaledByShape(Tensor w, Tensor b, [NoGrad] Tensor x, [NoGrad] Tensor y) =>
        Nn.Mse(Nn.Tanh(Nn.Linear(x, w, b)), y) * w.Dim(0);

    [Differentiable]
    public static float Copied(Tensor w, int steps)
    {
        var h = w;
        for (int t = 0; t < steps; t++) h = Nn.Tanh(h);
        return Nn.Sum(Nn.Mul(h, h)) + Nn.Sum(Nn.Sigmoid(w));
    }
}

public class ParameterReadOutsideOpsTests
{
    private static Tensor Random(int seed, params int[] shape) =>
        Tensor.FromValues(GradCheck.RandomFloat(shape.Aggregate(1, (a, b) => a * b), seed), shape);

    private static double Norm(Tensor t) => Math.Sqrt(t.ToArray().Sum(v => (double)v * v));

    private static void AssertProbeReadsTheFinalGradient(ProbeLayout layout, GradientProbes probes, params (string Name, Tensor Gradient)[] parameters)
    {
        double global = 0;
        foreach ((string name, Tensor gradient) in parameters)
        {
            int site = layout.IndexOf(name, ProbeKind.Parameter);
            double norm = Norm(gradient);
            Assert.Equal(norm, probes.L2(site), norm * 1e-5);
            global += norm * norm;
        }
        Assert.Equal(global, probes.GlobalSquaredNorm(), global * 1e-5);
    }

    [Fact]
    public void ASpanPenaltyIsInTheParametersReading()
    {
        Tensor w = Random(1, 2, 2), x = Random(2, 2, 2), y = Tensor.Zeros(2, 2), dW = Tensor.Zeros(2, 2);
        var probes = new GradientProbes(ParameterReadOutsideOps.SpanPenaltyProbeLayout);
        ParameterReadOutsideOps.SpanPenaltyGradient(w, x, y, dW, probes);
        GradCheck.Tensors([w], [dW], () => ParameterReadOutsideOps.SpanPenalty(w, x, y));
        AssertProbeReadsTheFinalGradient(ParameterReadOutsideOps.SpanPenaltyProbeLayout, probes, ("w", dW));
    }

    [Fact]
    public void APenaltyOnAFusedLayersWeightIsInItsReading()
    {
        Tensor w = Random(3, 6, 5), b = Random(4, 6), x = Random(5, 4, 5), y = Random(6, 4, 6);
        Tensor dW = Tensor.Zeros(6, 5), dB = Tensor.Zeros(6);
        var probes = new GradientProbes(ParameterReadOutsideOps.FusedLayerAndPenaltyProbeLayout);
        ParameterReadOutsideOps.FusedLayerAndPenaltyGradient(w, b, x, y, dW, dB, probes);
        GradCheck.Tensors([w, b], [dW, dB], () => ParameterReadOutsideOps.FusedLayerAndPenalty(w, b, x, y));
        AssertProbeReadsTheFinalGradient(ParameterReadOutsideOps.FusedLayerAndPenaltyProbeLayout, probes, ("w", dW), ("b", dB));
    }

    [Fact]
    public void AShapeReadKeepsTheReadingInTheOp()
    {
        Tensor w = Random(8, 6, 5), b = Random(9, 6), x = Random(10, 4, 5), y = Random(11, 4, 6);
        Tensor dW = Tensor.Zeros(6, 5), dB = Tensor.Zeros(6);
        var probes = new GradientProbes(ParameterReadOutsideOps.ScaledByShapeProbeLayout);
        ParameterReadOutsideOps.ScaledByShapeGradient(w, b, x, y, dW, dB, probes);
        GradCheck.Tensors([w, b], [dW, dB], () => ParameterReadOutsideOps.ScaledByShape(w, b, x, y));
        AssertProbeReadsTheFinalGradient(ParameterReadOutsideOps.ScaledByShapeProbeLayout, probes, ("w", dW), ("b", dB));
    }

    [Fact]
    public void AParameterCopiedIntoALocalHasItsWholeGradientRead()
    {
        Tensor w = Random(7, 3, 4), dW = Tensor.Zeros(3, 4);
        var probes = new GradientProbes(ParameterReadOutsideOps.CopiedProbeLayout);
        ParameterReadOutsideOps.CopiedGradient(w, 3, dW, probes);
        GradCheck.Tensors([w], [dW], () => ParameterReadOutsideOps.Copied(w, 3));
        AssertProbeReadsTheFinalGradient(ParameterReadOutsideOps.CopiedProbeLayout, probes, ("w", dW));
    }
}
