using System;
using System.Linq;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Tensors;

/// <summary>An LSTM whose loss reads the final state directly (both halves, h and c).</summary>
public static partial class LstmFinalState
{
    [Differentiable]
    public static float Final(Tensor wx, Tensor wh, Tensor b, [NoGrad] Tensor[] xs, [NoGrad] Tensor s0, [NoGrad] Tensor y, int steps)
    {
        var state = s0;
        for (int t = 0; t < steps; t++) state = Nn.LstmCell(xs[t], state, wx, wh, b);
        return Nn.Mse(state, y);
    }
}

public class LstmFiniteDifferenceTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void RecurrentWeightGradientMatchesFiniteDifferences(int steps)
    {
        const int B = 2, I = 3, H = 2;
        Tensor R(int seed, params int[] shape) { var t = Tensor.Zeros(shape); var v = GradCheck.Random(t.Length, seed, -0.5, 0.5); for (int i = 0; i < v.Length; i++) t[i] = (float)v[i]; return t; }
        Tensor wx = R(1, 4 * H, I), wh = R(2, 4 * H, H), b = R(3, 4 * H);
        Tensor[] xs = Enumerable.Range(0, steps).Select(t => R(10 + t, B, I)).ToArray();
        Tensor s0 = R(5, B, 2 * H), y = R(6, B, 2 * H);
        Tensor dwx = Tensor.Zeros(4 * H, I), dwh = Tensor.Zeros(4 * H, H), db = Tensor.Zeros(4 * H);
        LstmFinalState.FinalGradient(wx, wh, b, xs, s0, y, steps, dwx, dwh, db);
        for (int i = 0; i < wh.Length; i++)
        {
            float saved = wh[i];
            wh[i] = saved + 1e-2f; double p = LstmFinalState.Final(wx, wh, b, xs, s0, y, steps);
            wh[i] = saved - 1e-2f; double m = LstmFinalState.Final(wx, wh, b, xs, s0, y, steps);
            wh[i] = saved;
            double num = (p - m) / 2e-2;
            Assert.True(Math.Abs(num - dwh[i]) < 1e-3 + 1e-2 * Math.Abs(num), $"dWh[{i}] {dwh[i]} vs {num}");
        }
    }
}
