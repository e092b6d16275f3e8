using System;
using AutoGrad.Runtime.Tests.Support;
using AutoGrad.Testing;
using Xunit;

namespace AutoGrad.Runtime.Tests.Ops;

/// <summary>
/// A training step written the way generated code calls the ops (Into with reused results and states, pullbacks
/// into preallocated gradients) must allocate nothing once warm, and give the same bits every time.
/// </summary>
[Collection(KernelOptionsCollection.Name)]
public class SteadyStateTests
{
    private sealed class Step
    {
        private static readonly OpSite Site = new("Step", "Net.cs", 1);
        private readonly Tensor _x, _w1, _b1, _w2, _b2, _g, _beta, _wx, _wh, _bl, _wgx, _wgh, _bg, _target;
        private readonly int[] _labels;
        private readonly Tensor _dW1, _dB1, _dW2, _dB2, _dG, _dBeta, _dWx, _dWh, _dBl, _dWgx, _dWgh, _dBg;
        private readonly Tensor _dH1, _dN, _dA, _dDrop, _dLogits, _dState, _dGru, _dConcat, _dLog;
        private Tensor? _h1, _n, _a, _drop, _logits, _state, _gru, _joined, _log, _zeroState, _zeroH;
        private NormalizationState? _norm;
        private DropoutState? _dropState;
        private SoftmaxCrossEntropyState? _ce;
        private LstmCellState? _lstm;
        private GruCellState? _gruState;

        public Step(int batch, int inputs, int hidden, int classes)
        {
            _x = TestRandom.Tensor(1, batch, inputs);
            _w1 = TestRandom.Tensor(2, 0.2f, hidden, inputs);
            _b1 = TestRandom.Tensor(3, hidden);
            _w2 = TestRandom.Tensor(4, 0.2f, classes, 2 * hidden + hidden);
            _b2 = TestRandom.Tensor(5, classes);
            _g = TestRandom.Tensor(6, hidden);
            _beta = TestRandom.Tensor(7, hidden);
            _wx = TestRandom.Tensor(8, 0.2f, 4 * hidden, hidden);
            _wh = TestRandom.Tensor(9, 0.2f, 4 * hidden, hidden);
            _bl = TestRandom.Tensor(10, 4 * hidden);
            _wgx = TestRandom.Tensor(11, 0.2f, 3 * hidden, hidden);
            _wgh = TestRandom.Tensor(12, 0.2f, 3 * hidden, hidden);
            _bg = TestRandom.Tensor(13, 3 * hidden);
            _target = TestRandom.Tensor(14, batch, classes);
            _labels = TestRandom.Labels(batch, classes, 15);
            _zeroState = Tensor.Zeros(batch, 2 * hidden);
            _zeroH = Tensor.Zeros(batch, hidden);
            (_dW1, _dB1, _dW2, _dB2) = (Like(_w1), Like(_b1), Like(_w2), Like(_b2));
            (_dG, _dBeta, _dWx, _dWh, _dBl) = (Like(_g), Like(_beta), Like(_wx), Like(_wh), Like(_bl));
            (_dWgx, _dWgh, _dBg) = (Like(_wgx), Like(_wgh), Like(_bg));
            _dH1 = Tensor.Zeros(batch, hidden);
            _dN = Tensor.Zeros(batch, hidden);
            _dA = Tensor.Zeros(batch, hidden);
            _dDrop = Tensor.Zeros(batch, hidden);
            _dLogits = Tensor.Zeros(batch, classes);
            _dState = Tensor.Zeros(batch, 2 * hidden);
            _dGru = Tensor.Zeros(batch, hidden);
            _dConcat = Tensor.Zeros(batch, 3 * hidden);
            _dLog = Tensor.Zeros(batch, classes);
        }

        public float Run()
        {
            Nn.LinearInto(ref _h1, _x, _w1, _b1, Site);
            Nn.LayerNormInto(ref _n, ref _norm, _h1!, _g, _beta, Site);
            Nn.GeluInto(ref _a, _n!, Site);
            Nn.DropoutInto(ref _drop, ref _dropState, _a!, 0.2f, 3, Site);
            Nn.LstmCellInto(ref _state, ref _lstm, _drop!, _zeroState!, _wx, _wh, _bl, Site);
            Nn.GruCellInto(ref _gru, ref _gruState, _drop!, _zeroH!, _wgx, _wgh, _bg, Site);
            Nn.ConcatInto(ref _joined, _state!, _gru!, Site);
            Nn.LinearInto(ref _logits, _joined!, _w2, _b2, Site);
            Nn.LogSoftmaxInto(ref _log, _logits!, Site);
            float loss = Nn.SoftmaxCrossEntropyInto(ref _ce, _logits!, _labels, Site) + Nn.MseInto(_log!, _target, Site);

            Nn.SoftmaxCrossEntropyPullback(_logits!, _labels, loss, _ce!, 1f, GradTarget.Overwrite(_dLogits), Site);
            Nn.MsePullback(_log!, _target, loss, 1f, GradTarget.Overwrite(_dLog), GradTarget.None, Site);
            Nn.LogSoftmaxPullback(_logits!, _log!, _dLog, GradTarget.Accumulate(_dLogits), Site);
            Nn.LinearPullback(_joined!, _w2, _b2, _logits!, _dLogits, GradTarget.Overwrite(_dConcat), GradTarget.Overwrite(_dW2), GradTarget.Overwrite(_dB2), Site);
            Nn.ConcatPullback(_state!, _gru!, _joined!, _dConcat, GradTarget.Overwrite(_dState), GradTarget.Overwrite(_dGru), Site);
            Nn.GruCellPullback(_drop!, _zeroH!, _wgx, _wgh, _bg, _gru!, _gruState!, _dGru,
                GradTarget.Overwrite(_dDrop), GradTarget.None, GradTarget.Overwrite(_dWgx), GradTarget.Overwrite(_dWgh), GradTarget.Overwrite(_dBg), Site);
            Nn.LstmCellPullback(_drop!, _zeroState!, _wx, _wh, _bl, _state!, _lstm!, _dState,
                GradTarget.Accumulate(_dDrop), GradTarget.None, GradTarget.Overwrite(_dWx), GradTarget.Overwrite(_dWh), GradTarget.Overwrite(_dBl), Site);
            Nn.DropoutPullback(_a!, 0.2f, 3, _drop!, _dropState!, _dDrop, GradTarget.Overwrite(_dA), Site);
            Nn.GeluPullback(_n!, _a!, _dA, GradTarget.Overwrite(_dN), Site);
            Nn.LayerNormPullback(_h1!, _g, _beta, _n!, _norm!, _dN, GradTarget.Overwrite(_dH1), GradTarget.Overwrite(_dG), GradTarget.Overwrite(_dBeta), Site);
            Nn.LinearPullback(_x, _w1, _b1, _h1!, _dH1, GradTarget.None, GradTarget.Overwrite(_dW1), GradTarget.Overwrite(_dB1), Site);
            return loss;
        }

        /// <summary>Every gradient, flattened (allocates: call outside the measured region).</summary>
        public float[] Gradients()
        {
            var list = new System.Collections.Generic.List<float>();
            foreach (Tensor t in new[] { _dW1, _dB1, _dW2, _dB2, _dG, _dBeta, _dWx, _dWh, _dBl, _dWgx, _dWgh, _dBg })
            {
                list.AddRange(t.ToArray());
            }
            return list.ToArray();
        }

        public float Loss()
        {
            return Nn.SoftmaxCrossEntropyInto(ref _ce, _logits!, _labels, Site);
        }

        private static Tensor Like(Tensor t) => Tensor.Zeros(t.Shape.ToArray());
    }

    [Theory]
    [InlineData(1, 8, 6, 3)]    // batch 1: matrix-vector paths
    [InlineData(4, 10, 8, 5)]   // tiny: direct paths
    [InlineData(64, 100, 48, 10)] // packed GEMM paths
    public void AWarmStepAllocatesNothing(int batch, int inputs, int hidden, int classes)
    {
        var step = new Step(batch, inputs, hidden, classes);
        Allocations.AssertNoneAfterWarmUp(() => step.Run(), warmUp: 5, window: 3);
    }

    [Fact]
    public void StepsAreBitwiseDeterministic()
    {
        var first = new Step(32, 70, 40, 7);
        var second = new Step(32, 70, 40, 7);
        first.Run();
        float[] a = first.Gradients();
        second.Run();
        second.Run();
        Assert.Equal(a, second.Gradients());
        Assert.Equal(first.Loss(), second.Loss());
    }
}
