using System;

namespace AutoGrad.Kernels.Benchmarks;

/// <summary>
/// One training step of an MLP (forward, loss, backward into preallocated gradients) written the way generated
/// code calls the ops: Into with reused results, pullbacks with Overwrite targets. Hidden layers use ReLU or tanh,
/// either as separate ops (Linear then activation) or as the fused <see cref="Nn.LinearActivation"/>.
/// </summary>
public sealed class MlpStep : IFlopCount
{
    private static readonly OpSite Site = new("Mlp", "Mlp.cs", 1);
    private readonly Tensor _x;
    private readonly Tensor[] _w, _b, _dW, _dB, _dZ, _dH;
    private readonly Tensor?[] _z, _h;
    private readonly int[] _labels;
    private readonly Tensor? _target;
    private readonly FusedActivation _activation;
    private readonly bool _fused;
    private SoftmaxCrossEntropyState? _loss;

    public MlpStep(int[] sizes, int batch, FusedActivation activation, bool fused, bool crossEntropy = true)
    {
        Sizes = sizes;
        Batch = batch;
        _activation = activation;
        _fused = fused;
        int layers = sizes.Length - 1;
        var random = new Random(1);
        _x = Fill(random, 1f, batch, sizes[0]);
        (_w, _b, _dW, _dB) = (new Tensor[layers], new Tensor[layers], new Tensor[layers], new Tensor[layers]);
        (_dZ, _dH, _z, _h) = (new Tensor[layers], new Tensor[layers], new Tensor?[layers], new Tensor?[layers]);
        for (int l = 0; l < layers; l++)
        {
            _w[l] = Fill(random, 1f / MathF.Sqrt(sizes[l]), sizes[l + 1], sizes[l]);
            _b[l] = Fill(random, 0.1f, sizes[l + 1]);
            _dW[l] = Tensor.Zeros(sizes[l + 1], sizes[l]);
            _dB[l] = Tensor.Zeros(sizes[l + 1]);
            _dZ[l] = Tensor.Zeros(batch, sizes[l + 1]);
            _dH[l] = Tensor.Zeros(batch, sizes[l + 1]);
        }
        _labels = new int[batch];
        for (int i = 0; i < batch; i++)
        {
            _labels[i] = random.Next(sizes[^1]);
        }
        if (!crossEntropy)
        {
            _target = Fill(random, 1f, batch, sizes[^1]);
        }
    }

    public int[] Sizes { get; }

    public int Batch { get; }

    /// <summary>6 · parameters · batch: 2 for the forward product, 4 for the two backward products.</summary>
    public double Flops
    {
        get
        {
            double parameters = 0;
            for (int l = 0; l + 1 < Sizes.Length; l++)
            {
                parameters += (double)Sizes[l] * Sizes[l + 1] + Sizes[l + 1];
            }
            return 6 * parameters * Batch;
        }
    }

    public float Run()
    {
        int layers = _w.Length;
        Tensor input = _x;
        for (int l = 0; l < layers; l++)
        {
            bool last = l == layers - 1;
            if (last)
            {
                Nn.LinearInto(ref _z[l], input, _w[l], _b[l], Site);
                input = _z[l]!;
            }
            else if (_fused)
            {
                Nn.LinearActivationInto(ref _h[l], input, _w[l], _b[l], _activation, Site);
                input = _h[l]!;
            }
            else
            {
                Nn.LinearInto(ref _z[l], input, _w[l], _b[l], Site);
                Activate(ref _h[l], _z[l]!);
                input = _h[l]!;
            }
        }
        Tensor logits = _z[layers - 1]!;
        float loss;
        if (_target is null)
        {
            loss = Nn.SoftmaxCrossEntropyInto(ref _loss, logits, _labels, Site);
            Nn.SoftmaxCrossEntropyPullback(logits, _labels, loss, _loss!, 1f, GradTarget.Overwrite(_dZ[layers - 1]), Site);
        }
        else
        {
            loss = Nn.MseInto(logits, _target, Site);
            Nn.MsePullback(logits, _target, loss, 1f, GradTarget.Overwrite(_dZ[layers - 1]), GradTarget.None, Site);
        }
        for (int l = layers - 1; l >= 0; l--)
        {
            Tensor x = l == 0 ? _x : _h[l - 1]!;
            GradTarget dInput = l == 0 ? GradTarget.None : GradTarget.Overwrite(_dH[l - 1]);
            if (l == layers - 1 || !_fused)
            {
                if (l != layers - 1)
                {
                    ActivateBackward(_z[l]!, _h[l]!, _dH[l], _dZ[l]);
                }
                Nn.LinearPullback(x, _w[l], _b[l], _z[l]!, _dZ[l], dInput, GradTarget.Overwrite(_dW[l]), GradTarget.Overwrite(_dB[l]), Site);
            }
            else
            {
                Nn.LinearActivationPullback(
                    x, _w[l], _b[l], _activation, _h[l]!, _dH[l], dInput, GradTarget.Overwrite(_dW[l]), GradTarget.Overwrite(_dB[l]), Site);
            }
        }
        return loss;
    }

    public override string ToString() =>
        $"{string.Join('-', Sizes)} {_activation}{(_fused ? " fused" : "")} b{Batch}";

    private void Activate(ref Tensor? h, Tensor z)
    {
        if (_activation == FusedActivation.Relu)
        {
            Nn.ReluInto(ref h, z, Site);
        }
        else if (_activation == FusedActivation.Tanh)
        {
            Nn.TanhInto(ref h, z, Site);
        }
        else
        {
            Nn.SigmoidInto(ref h, z, Site);
        }
    }

    private void ActivateBackward(Tensor z, Tensor h, Tensor dH, Tensor dZ)
    {
        if (_activation == FusedActivation.Relu)
        {
            Nn.ReluPullback(z, h, dH, GradTarget.Overwrite(dZ), Site);
        }
        else if (_activation == FusedActivation.Tanh)
        {
            Nn.TanhPullback(z, h, dH, GradTarget.Overwrite(dZ), Site);
        }
        else
        {
            Nn.SigmoidPullback(z, h, dH, GradTarget.Overwrite(dZ), Site);
        }
    }

    private static Tensor Fill(Random random, float scale, params int[] shape)
    {
        var t = Tensor.Zeros(shape);
        Span<float> s = t.Span;
        for (int i = 0; i < s.Length; i++)
        {
            s[i] = ((float)random.NextDouble() * 2 - 1) * scale;
        }
        return t;
    }
}
