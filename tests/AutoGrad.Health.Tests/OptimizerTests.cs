using System;
using System.Linq;
using AutoGrad.Init;
using AutoGrad.Optim;
using Xunit;

namespace AutoGrad.Health.Tests;

/// <summary>Each optimizer against a plain scalar transcription of its update rule (PyTorch's formulas), on a
/// length that exercises the 16-wide, 8-wide and scalar-tail paths.</summary>
public class OptimizerTests
{
    private const int Length = 16 * 3 + 8 + 5;
    private const int Steps = 5;

    private static (ParameterList List, float[] W, float[][] Grads) Setup()
    {
        var w = Tensor.Zeros(Length);
        Initializers.FillNormal(w, 0.5, 7);
        var g = Tensor.Zeros(Length);
        var grads = Enumerable.Range(0, Steps).Select(s =>
        {
            var t = Tensor.Zeros(Length);
            Initializers.FillNormal(t, 1.0, 100 + (ulong)s);
            return t.ToArray();
        }).ToArray();
        return (new ParameterList { { "w", w, g } }, w.ToArray(), grads);
    }

    private static void Run(Optimizer optimizer, ParameterList list, float[][] grads, float lr)
    {
        foreach (float[] g in grads)
        {
            g.CopyTo(list[0].Gradient.Span);
            optimizer.Step(lr);
        }
    }

    private static void AssertClose(double[] expected, ParameterList list)
    {
        float[] actual = list[0].Value.ToArray();
        for (int i = 0; i < Length; i++) Assert.Equal(expected[i], actual[i], 4);
    }

    [Theory]
    [InlineData(0f, false, 0f)]
    [InlineData(0.9f, false, 0.01f)]
    [InlineData(0.9f, true, 0.01f)]
    public void SgdMatchesTheReferenceUpdate(float momentum, bool nesterov, float decay)
    {
        var (list, w0, grads) = Setup();
        Run(new Sgd(list, momentum, nesterov, decay), list, grads, 0.1f);

        double[] w = w0.Select(x => (double)x).ToArray(), v = new double[Length];
        foreach (float[] g in grads)
        {
            for (int i = 0; i < Length; i++)
            {
                double gi = g[i] + decay * w[i];
                v[i] = momentum * v[i] + gi;
                double d = momentum == 0 ? gi : nesterov ? gi + momentum * v[i] : v[i];
                w[i] -= 0.1 * d;
            }
        }
        AssertClose(w, list);
    }

    [Theory]
    [InlineData(false, 0f)]
    [InlineData(false, 0.1f)]
    [InlineData(true, 0.1f)]
    public void AdamAndAdamWMatchTheReferenceUpdate(bool decoupled, float decay)
    {
        var (list, w0, grads) = Setup();
        Optimizer optimizer = decoupled ? new AdamW(list, weightDecay: decay) : new Adam(list, weightDecay: decay);
        Run(optimizer, list, grads, 0.01f);

        double[] w = w0.Select(x => (double)x).ToArray(), m = new double[Length], v = new double[Length];
        int t = 0;
        foreach (float[] g in grads)
        {
            t++;
            for (int i = 0; i < Length; i++)
            {
                if (decoupled) w[i] -= 0.01 * decay * w[i];
                double gi = g[i] + (decoupled ? 0 : decay * w[i]);
                m[i] = 0.9 * m[i] + 0.1 * gi;
                v[i] = 0.999 * v[i] + 0.001 * gi * gi;
                double mHat = m[i] / (1 - Math.Pow(0.9, t)), vHat = v[i] / (1 - Math.Pow(0.999, t));
                w[i] -= 0.01 * mHat / (Math.Sqrt(vHat) + 1e-8);
            }
        }
        AssertClose(w, list);
    }

    [Theory]
    [InlineData(0f, 0f)]
    [InlineData(0.9f, 0.01f)]
    public void RmsPropMatchesTheReferenceUpdate(float momentum, float decay)
    {
        var (list, w0, grads) = Setup();
        Run(new RmsProp(list, weightDecay: decay, momentum: momentum), list, grads, 0.01f);

        double[] w = w0.Select(x => (double)x).ToArray(), s = new double[Length], b = new double[Length];
        foreach (float[] g in grads)
        {
            for (int i = 0; i < Length; i++)
            {
                double gi = g[i] + decay * w[i];
                s[i] = 0.99 * s[i] + 0.01 * gi * gi;
                double u = gi / (Math.Sqrt(s[i]) + 1e-8);
                b[i] = momentum * b[i] + u;
                w[i] -= 0.01 * (momentum > 0 ? b[i] : u);
            }
        }
        AssertClose(w, list);
    }

    [Fact]
    public void ReportsTheUpdateToWeightRatioOfEachStep()
    {
        var (list, w0, grads) = Setup();
        var sgd = new Sgd(list);
        Assert.True(double.IsNaN(sgd.UpdateRatio(0)));
        grads[0].CopyTo(list[0].Gradient.Span);
        // CS231n's param_scale: the weights before the step (review helper-93: it was after).
        double weight = Math.Sqrt(list[0].Value.ToArray().Sum(x => (double)x * x));

        sgd.Step(0.01f);

        double delta = Math.Sqrt(grads[0].Sum(g => (double)g * g)) * 0.01;
        Assert.Equal(delta / weight, sgd.UpdateRatio(0), 5);
        Assert.Equal(sgd.UpdateRatio(0), list[0].UpdateRatio);
    }

    [Fact]
    public void ANaNUpdateHasANaNRatioNotZero()
    {
        // 0 read as the smallest update there is, which the advice's low-ratio rule looks for.
        var list = new ParameterList { { "w", Tensor.FromValues([1f, 2f, 3f], 3), Tensor.FromValues([float.NaN, 1f, 1f], 3) } };
        var adam = new Adam(list);
        adam.Step(0.1f);
        Assert.True(double.IsNaN(adam.UpdateRatio(0)));
    }

    [Fact]
    public void AParameterAddedAfterTheOptimizerOrListedTwiceIsRefused()
    {
        Tensor w = Tensor.FromValues([1f, 2f], 2), g = Tensor.FromValues([1f, 1f], 2);
        var list = new ParameterList { { "a", w, g } };
        // The same tensor twice would be updated twice per step.
        Assert.Throws<ArgumentException>(() => list.Add("b", w, g));
        var sgd = new Sgd(list, momentum: 0.9f);
        list.Add("c", Tensor.FromValues([1f], 1), Tensor.FromValues([1f], 1));
        // Its state was allocated for the list as it was (a bare IndexOutOfRangeException before).
        Assert.Throws<InvalidOperationException>(() => sgd.Step(0.1f));
    }

    /// <summary>
    /// Review helper-84: only the same Tensor object was refused. A view of it or a tensor over the same array was
    /// updated twice per step (SGD at 0.1 moved w by 0.2), and a shared gradient buffer was clipped twice.
    /// </summary>
    [Fact]
    public void ParametersSharingStorageAreRefused()
    {
        float[] storage = { 1f, 2f, 3f, 4f };
        var w = new Tensor(storage, 4);
        var list = new ParameterList { { "a", w, Tensor.Zeros(4) } };

        var view = Assert.Throws<ArgumentException>(() => list.Add("b", w.Reshape(2, 2), Tensor.Zeros(2, 2)));
        Assert.Contains("'b' shares its weights with 'a'", view.Message);
        Assert.Throws<ArgumentException>(() => list.Add("c", new Tensor(storage, 4), Tensor.Zeros(4)));
        Assert.Throws<ArgumentException>(() => list.Add("d", new Tensor(new float[2], 1, 2), list[0].Gradient.Reshape(2, 2).SliceRows(1, 1)));
        Assert.Throws<ArgumentException>(() => list.Add("e", new Tensor(new float[4], 4), w));
        Assert.Throws<ArgumentException>(() => new Parameter("f", w, w.Reshape(2, 2)));
        Assert.Single(list);

        // Rows of one array are separate parameters, each updated once.
        float[] shared = { 1f, 1f, 1f, 1f };
        var rows = new Tensor(shared, 2, 2);
        var parts = new ParameterList
        {
            { "lo", rows.SliceRows(0, 1), Tensor.FromValues([1f, 1f], 1, 2) },
            { "hi", rows.SliceRows(1, 1), Tensor.FromValues([2f, 2f], 1, 2) },
        };
        new Sgd(parts).Step(0.1f);
        Assert.Equal(new[] { 0.9f, 0.9f, 0.8f, 0.8f }, shared);
    }

    /// <summary>
    /// Without weight decay, an infinite weight stays infinite and leaves the optimizer's state finite, as in PyTorch:
    /// a decay of 0 is left out, not multiplied by 0 (0·∞ is NaN). After the weight is reset, steps are finite again.
    /// Lengths 16 + 1 cover the vector and the scalar-tail paths.
    /// </summary>
    [Theory]
    [InlineData("sgd")]
    [InlineData("adam")]
    [InlineData("rmsprop")]
    public void AnInfiniteWeightWithoutDecayLeavesTheStateFinite(string kind)
    {
        var w = Tensor.Zeros(17);
        var g = Tensor.Zeros(17);
        w.Span.Fill(float.PositiveInfinity);
        g.Span.Fill(1f);
        var list = new ParameterList { { "w", w, g } };
        Optimizer optimizer = kind switch
        {
            "sgd" => new Sgd(list, momentum: 0.9f),
            "adam" => new Adam(list),
            _ => new RmsProp(list, momentum: 0.9f),
        };
        optimizer.Step(0.1f);
        Assert.All(w.ToArray(), v => Assert.Equal(float.PositiveInfinity, v));
        w.Span.Fill(0.5f);
        optimizer.Step(0.1f);
        Assert.All(w.ToArray(), v => Assert.True(float.IsFinite(v), $"{kind}: {v}"));
    }

    [Fact]
    public void PairsGetPositionalNamesAndBadArgumentsThrow()
    {
        var w = Tensor.Zeros(3);
        var adam = new Adam(new[] { (w, Tensor.Zeros(3)) });
        Assert.Equal("p0", adam.Parameters[0].Name);
        Assert.Throws<ArgumentException>(() => new Sgd(new ParameterList()));
        Assert.Throws<ArgumentException>(() => new Parameter("w", w, Tensor.Zeros(4)));
        Assert.Throws<ArgumentException>(() => new Sgd(new[] { (w, Tensor.Zeros(3)) }, momentum: 0, nesterov: true));
        Assert.Throws<ArgumentOutOfRangeException>(() => adam.Step(float.NaN));
    }

    [Fact]
    public void SchedulesFollowTheirFormulas()
    {
        var step = new StepSchedule(0.1f, every: 10, gamma: 0.5f);
        Assert.Equal(0.1f, step.At(9), 6);
        Assert.Equal(0.05f, step.At(10), 6);
        Assert.Equal(0.025f, step.At(25), 6);

        var cosine = new CosineSchedule(1f, totalSteps: 100, minRate: 0.1f);
        Assert.Equal(1f, cosine.At(0), 6);
        Assert.Equal(0.55f, cosine.At(50), 5);
        Assert.Equal(0.1f, cosine.At(100), 6);
        Assert.Equal(0.1f, cosine.At(1000), 6);

        var warm = new WarmupSchedule(cosine, warmupSteps: 4);
        Assert.Equal(new[] { 0.25f, 0.5f, 0.75f, 1f }, Enumerable.Range(0, 4).Select(s => warm.At(s)));
        Assert.Equal(cosine.At(10), warm.At(14), 6);
        Assert.Equal(0.3f, LearningRateSchedule.Constant(0.3f).At(123456), 6);
    }
}
