using System;
using System.Linq;
using AutoGrad.Testing;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Tensors;

public class RecurrentTests
{
    private const int Batch = 2, Inputs = 3, Hidden = 4, Outputs = 2;

    private static Tensor Random(int seed, float scale, params int[] shape)
    {
        var t = Tensor.Zeros(shape);
        double[] v = GradCheck.Random(t.Length, seed, -scale, scale);
        for (int i = 0; i < v.Length; i++) t[i] = (float)v[i];
        return t;
    }

    private static double[] D(Tensor t) => t.ToArray().Select(v => (double)v).ToArray();

    private static void AssertClose(double[] expected, Tensor actual, string name)
    {
        float[] a = actual.ToArray();
        double scale = Math.Max(1e-3, expected.Max(Math.Abs));
        for (int i = 0; i < a.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - a[i]) <= 3e-4 * scale, $"{name}[{i}]: scalar engine {expected[i]:R}, tensor engine {a[i]:R}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(9)]
    public void RnnOverARunTimeLengthMatchesTheScalarEngine(int steps)
    {
        Tensor wx = Random(1, 0.5f, Hidden, Inputs), wh = Random(2, 0.5f, Hidden, Hidden), b = Random(3, 0.3f, Hidden);
        Tensor wo = Random(4, 0.5f, Outputs, Hidden), bo = Random(5, 0.3f, Outputs);
        Tensor[] xs = Enumerable.Range(0, steps).Select(t => Random(10 + t, 1f, Batch, Inputs)).ToArray();
        Tensor h0 = Random(6, 0.5f, Batch, Hidden), y = Random(7, 1f, Batch, Outputs);
        Tensor dwx = Tensor.Zeros(Hidden, Inputs), dwh = Tensor.Zeros(Hidden, Hidden), db = Tensor.Zeros(Hidden);
        Tensor dwo = Tensor.Zeros(Outputs, Hidden), dbo = Tensor.Zeros(Outputs);

        float loss = Recurrent.RnnGradient(wx, wh, b, wo, bo, xs, h0, y, steps, dwx, dwh, db, dwo, dbo);

        var g = new[] { new double[wx.Length], new double[wh.Length], new double[b.Length], new double[wo.Length], new double[bo.Length] };
        double expected = ScalarRecurrent.RnnGradient(D(wx), D(wh), D(b), D(wo), D(bo), xs.SelectMany(D).ToArray(), D(h0), D(y),
            steps, Batch, Inputs, Hidden, Outputs, g[0], g[1], g[2], g[3], g[4]);
        Assert.Equal(expected, loss, 4);
        Assert.Equal(Recurrent.Rnn(wx, wh, b, wo, bo, xs, h0, y, steps), loss);
        AssertClose(g[0], dwx, "dWx");
        AssertClose(g[1], dwh, "dWh");
        AssertClose(g[2], db, "dB");
        AssertClose(g[3], dwo, "dWo");
        AssertClose(g[4], dbo, "dBo");
    }

    [Fact]
    public void LstmWithALossAtEveryStepMatchesTheScalarEngine()
    {
        const int steps = 6;
        Tensor wx = Random(21, 0.4f, 4 * Hidden, Inputs), wh = Random(22, 0.4f, 4 * Hidden, Hidden), b = Random(23, 0.3f, 4 * Hidden);
        Tensor wo = Random(24, 0.5f, Outputs, Hidden), bo = Random(25, 0.3f, Outputs);
        Tensor[] xs = Enumerable.Range(0, steps).Select(t => Random(30 + t, 1f, Batch, Inputs)).ToArray();
        Tensor[] ys = Enumerable.Range(0, steps).Select(t => Random(40 + t, 1f, Batch, Outputs)).ToArray();
        Tensor s0 = Tensor.Zeros(Batch, 2 * Hidden);
        Tensor dwx = Tensor.Zeros(4 * Hidden, Inputs), dwh = Tensor.Zeros(4 * Hidden, Hidden), db = Tensor.Zeros(4 * Hidden);
        Tensor dwo = Tensor.Zeros(Outputs, Hidden), dbo = Tensor.Zeros(Outputs);

        float loss = Recurrent.LstmGradient(wx, wh, b, wo, bo, xs, s0, ys, steps, dwx, dwh, db, dwo, dbo);

        var g = new[] { new double[wx.Length], new double[wh.Length], new double[b.Length], new double[wo.Length], new double[bo.Length] };
        double expected = ScalarRecurrent.LstmGradient(D(wx), D(wh), D(b), D(wo), D(bo), xs.SelectMany(D).ToArray(), ys.SelectMany(D).ToArray(),
            steps, Batch, Inputs, Hidden, Outputs, g[0], g[1], g[2], g[3], g[4]);
        Assert.Equal(expected, loss, 4);
        AssertClose(g[0], dwx, "dWx");
        AssertClose(g[1], dwh, "dWh");
        AssertClose(g[2], db, "dB");
        AssertClose(g[3], dwo, "dWo");
        AssertClose(g[4], dbo, "dBo");
    }

    [Fact]
    public void RecurrenceAllocatesNothingOnceTheLongestSequenceWasSeen()
    {
        Tensor wx = Random(1, 0.5f, Hidden, Inputs), wh = Random(2, 0.5f, Hidden, Hidden), b = Random(3, 0.3f, Hidden);
        Tensor wo = Random(4, 0.5f, Outputs, Hidden), bo = Random(5, 0.3f, Outputs);
        Tensor[] xs = Enumerable.Range(0, 12).Select(t => Random(10 + t, 1f, Batch, Inputs)).ToArray();
        Tensor h0 = Random(6, 0.5f, Batch, Hidden), y = Random(7, 1f, Batch, Outputs);
        Tensor[] grads = { Tensor.Zeros(Hidden, Inputs), Tensor.Zeros(Hidden, Hidden), Tensor.Zeros(Hidden), Tensor.Zeros(Outputs, Hidden), Tensor.Zeros(Outputs) };
        Recurrent.RnnGradient(wx, wh, b, wo, bo, xs, h0, y, 12, grads[0], grads[1], grads[2], grads[3], grads[4]);
        int steps = 12;
        Allocations.AssertNoneAfterWarmUp(() =>
        {
            Recurrent.RnnGradient(wx, wh, b, wo, bo, xs, h0, y, steps, grads[0], grads[1], grads[2], grads[3], grads[4]);
            steps = steps == 12 ? 7 : 12; // shorter sequences reuse the slots of the longest one
        });
    }
}

public class RecurrentScalarReferenceTests
{
    [Fact]
    public void ScalarLstmReferenceAgainstFiniteDifferences()
    {
        const int steps = 3, batch = 2, inputs = 3, hidden = 2, outputs = 2;
        double[] xs = GradCheck.Random(steps * batch * inputs, 50), ys = GradCheck.Random(steps * batch * outputs, 51);
        int nwx = 4 * hidden * inputs, nwh = 4 * hidden * hidden, nb = 4 * hidden, nwo = outputs * hidden;
        double[] theta = GradCheck.Random(nwx + nwh + nb + nwo + outputs, 52, -0.5, 0.5);
        double[][] Split(double[] t) => new[] { t[..nwx], t[nwx..(nwx + nwh)], t[(nwx + nwh)..(nwx + nwh + nb)], t[(nwx + nwh + nb)..(nwx + nwh + nb + nwo)], t[(nwx + nwh + nb + nwo)..] };
        GradCheck.Double(t => { var p = Split(t); return ScalarRecurrent.Lstm(p[0], p[1], p[2], p[3], p[4], xs, ys, steps, batch, inputs, hidden, outputs); },
            t =>
            {
                var p = Split(t);
                var g = p.Select(a => new double[a.Length]).ToArray();
                double v = ScalarRecurrent.LstmGradient(p[0], p[1], p[2], p[3], p[4], xs, ys, steps, batch, inputs, hidden, outputs, g[0], g[1], g[2], g[3], g[4]);
                return (v, g.SelectMany(a => a).ToArray());
            }, theta);
    }
}
