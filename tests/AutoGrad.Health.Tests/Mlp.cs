using System;
using AutoGrad.Init;
using AutoGrad.Optim;
using AutoGrad.Probes;

namespace AutoGrad.Health.Tests;

/// <summary>
/// A small fully connected network with a hand-written backward pass that records probes exactly where generated
/// code would: weight and bias gradients, the adjoint of each hidden output, and each activation's output.
/// Binary classification with a logistic loss; hidden layers use <see cref="Activation"/>.
/// </summary>
internal sealed class Mlp
{
    private readonly int[] _widths;
    private readonly float[][] _h; // _h[0] = input, _h[l+1] = output of layer l
    private readonly float[][] _dh;

    public Mlp(int inputs, int hidden, int layers, ActivationKind activation, ulong seed, bool heInit)
    {
        Activation = activation;
        _widths = new int[layers + 1];
        _widths[0] = inputs;
        for (int l = 1; l < layers; l++) _widths[l] = hidden;
        _widths[layers] = 1;
        Parameters = new ParameterList();
        var sites = new System.Collections.Generic.List<ProbeSite>();
        string act = activation.ToString().ToLowerInvariant();
        for (int l = 0; l < layers; l++)
        {
            string n = (l + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var w = Tensor.Zeros(_widths[l + 1], _widths[l]);
            if (heInit) Initializers.HeNormal(w, seed + (ulong)l);
            else Initializers.LeCunNormal(w, seed + (ulong)l);
            Parameters.Add("w" + n, w, Tensor.Zeros(w.Dim(0), w.Dim(1)));
            Parameters.Add("b" + n, Tensor.Zeros(_widths[l + 1]), Tensor.Zeros(_widths[l + 1]));
            bool hiddenLayer = l < layers - 1;
            string a = hiddenLayer ? act : "None";
            int line = 20 + l;
            sites.Add(new ProbeSite("w" + n, ProbeKind.Parameter, l, a, w.Length, "Mlp.cs", line, false));
            sites.Add(new ProbeSite("b" + n, ProbeKind.Parameter, l, a, _widths[l + 1], "Mlp.cs", line, false));
            if (hiddenLayer)
            {
                sites.Add(new ProbeSite("h" + n, ProbeKind.LayerOutput, l, a, 0, "Mlp.cs", line, false));
                sites.Add(new ProbeSite("h" + n, ProbeKind.Activation, l, a, 0, "Mlp.cs", line, false));
            }
        }
        Layout = new ProbeLayout("Mlp.Loss", sites.ToArray());
        _h = new float[layers + 1][];
        _dh = new float[layers + 1][];
    }

    public ActivationKind Activation { get; }

    public ParameterList Parameters { get; }

    public ProbeLayout Layout { get; }

    private int Layers => _widths.Length - 1;

    /// <summary>Forward and backward over a batch; fills every gradient and the probes; returns the mean loss.</summary>
    public double LossGradient(float[] x, float[] y, int batch, GradientProbes probes)
    {
        probes.Begin();
        _h[0] = x;
        for (int l = 0; l < Layers; l++)
        {
            int nIn = _widths[l], nOut = _widths[l + 1];
            float[] w = Parameters[2 * l].Value.Data, b = Parameters[2 * l + 1].Value.Data;
            float[] hIn = _h[l];
            float[] hOut = _h[l + 1] ??= new float[batch * nOut];
            for (int r = 0; r < batch; r++)
            {
                for (int o = 0; o < nOut; o++)
                {
                    float z = b[o];
                    for (int i = 0; i < nIn; i++) z += w[o * nIn + i] * hIn[r * nIn + i];
                    hOut[r * nOut + o] = l < Layers - 1 ? Activate(z) : z;
                }
            }
            if (l < Layers - 1)
            {
                probes.RecordActivation(Layout.IndexOf("h" + (l + 1), ProbeKind.Activation), hOut, batch, Activation);
            }
        }

        // Logistic loss on the logit z: dL/dz = (σ(z) - y) / batch.
        float[] logits = _h[Layers];
        double loss = 0;
        float[] dz = _dh[Layers] ??= new float[batch];
        for (int r = 0; r < batch; r++)
        {
            double z = logits[r];
            loss += Math.Max(z, 0) - z * y[r] + Math.Log(1 + Math.Exp(-Math.Abs(z)));
            dz[r] = (float)((1 / (1 + Math.Exp(-z)) - y[r]) / batch);
        }

        for (int l = Layers - 1; l >= 0; l--)
        {
            int nIn = _widths[l], nOut = _widths[l + 1];
            float[] dOut = _dh[l + 1];
            if (l < Layers - 1)
            {
                // dOut holds ∂L/∂h (the layer output); probe it, then turn it into ∂L/∂z through the activation.
                probes.RecordGradient(Layout.IndexOf("h" + (l + 1), ProbeKind.LayerOutput), dOut.AsSpan(0, batch * nOut));
                float[] hOut = _h[l + 1];
                for (int k = 0; k < batch * nOut; k++) dOut[k] *= Derivative(hOut[k]);
            }
            float[] w = Parameters[2 * l].Value.Data;
            Span<float> dW = Parameters[2 * l].Gradient.Span, dB = Parameters[2 * l + 1].Gradient.Span;
            dW.Clear();
            dB.Clear();
            float[] hIn = _h[l];
            float[] dIn = _dh[l] ??= new float[batch * nIn];
            Array.Clear(dIn);
            for (int r = 0; r < batch; r++)
            {
                for (int o = 0; o < nOut; o++)
                {
                    float d = dOut[r * nOut + o];
                    dB[o] += d;
                    for (int i = 0; i < nIn; i++)
                    {
                        dW[o * nIn + i] += d * hIn[r * nIn + i];
                        dIn[r * nIn + i] += d * w[o * nIn + i];
                    }
                }
            }
            probes.RecordGradient(Layout.IndexOf("w" + (l + 1), ProbeKind.Parameter), dW);
            probes.RecordGradient(Layout.IndexOf("b" + (l + 1), ProbeKind.Parameter), dB);
        }
        return loss / batch;
    }

    private float Activate(float z) => Activation switch
    {
        ActivationKind.Sigmoid => 1f / (1f + MathF.Exp(-z)),
        ActivationKind.Tanh => MathF.Tanh(z),
        _ => MathF.Max(z, 0f),
    };

    /// <summary>The activation's derivative, from its output.</summary>
    private float Derivative(float h) => Activation switch
    {
        ActivationKind.Sigmoid => h * (1 - h),
        ActivationKind.Tanh => 1 - h * h,
        _ => h > 0 ? 1f : 0f,
    };
}
