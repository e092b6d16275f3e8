using System;

namespace AutoGrad.Tests.Tensors;

/// <summary>The networks issue's user contract, verbatim.</summary>
public static partial class Mlp
{
    [Differentiable]
    public static float Loss(Tensor w1, Tensor b1, Tensor w2, Tensor b2,
                             [NoGrad] Tensor x, [NoGrad] int[] labels)
    {
        var h = Nn.Relu(Nn.Linear(x, w1, b1));
        return Nn.SoftmaxCrossEntropy(Nn.Linear(h, w2, b2), labels);
    }

    [Differentiable]
    public static float Deep(Tensor[] w, Tensor[] b, [NoGrad] Tensor x, [NoGrad] Tensor y)
    {
        var h = x;
        for (int l = 0; l < 20; l++)                 // constant bound: unrolled in the generated backward
            h = Nn.Add(h, Nn.Tanh(Nn.Linear(h, w[l], b[l])));
        return Nn.Mse(h, y);
    }
}

/// <summary>A fused layer written over three lines: errors name the line of the Linear call.</summary>
public static partial class MultiLineLayer
{
    [Differentiable]
    public static float Loss(Tensor w, Tensor b, [NoGrad] Tensor x)
    {
        var h = Nn.Tanh(
            Nn.Linear(
                x, w, b));
        return Nn.Sum(h);
    }
}

/// <summary>A deep sigmoid stack (fused Linear+Sigmoid per layer), the vanishing-gradient classic.</summary>
public static partial class DeepSigmoid
{
    [Differentiable]
    public static float Loss(Tensor[] w, Tensor[] b, [NoGrad] Tensor x, [NoGrad] int[] labels)
    {
        var h = x;
        for (int l = 0; l < 8; l++)
        {
            h = Nn.Sigmoid(Nn.Linear(h, w[l], b[l]));
        }
        return Nn.SoftmaxCrossEntropy(h, labels);
    }
}

/// <summary>The same networks written with scalar loops, differentiated by the core engine: a cross-check.</summary>
public static partial class ScalarMlp
{
    [Differentiable]
    public static double Loss(double[] w1, double[] b1, double[] w2, double[] b2, [NoGrad] double[] x, [NoGrad] int[] labels,
        int batch, int inputs, int hidden, int classes)
    {
        var h = new double[hidden];
        var z = new double[classes];
        double loss = 0;
        for (int n = 0; n < batch; n++)
        {
            for (int j = 0; j < hidden; j++)
            {
                double a = b1[j];
                for (int i = 0; i < inputs; i++) a += w1[j * inputs + i] * x[n * inputs + i];
                h[j] = Math.Max(a, 0);
            }
            double m = double.NegativeInfinity;
            for (int c = 0; c < classes; c++)
            {
                double s = b2[c];
                for (int j = 0; j < hidden; j++) s += w2[c * hidden + j] * h[j];
                z[c] = s;
                m = Math.Max(m, s);
            }
            double total = 0;
            for (int c = 0; c < classes; c++) total += Math.Exp(z[c] - m);
            loss += m + Math.Log(total) - z[labels[n]];
        }
        return loss / batch;
    }

    /// <summary>Residual tanh stack: h ← h + tanh(h·Wₗᵀ + bₗ), then mean squared error. Weights flattened per layer.</summary>
    [Differentiable]
    public static double Deep(double[] w, double[] b, [NoGrad] double[] x, [NoGrad] double[] y, int layers, int batch, int width)
    {
        var h = new double[batch * width];
        var next = new double[batch * width];
        for (int i = 0; i < batch * width; i++) h[i] = x[i];
        for (int l = 0; l < layers; l++)
        {
            for (int n = 0; n < batch; n++)
            {
                for (int o = 0; o < width; o++)
                {
                    double a = b[l * width + o];
                    for (int i = 0; i < width; i++) a += w[(l * width + o) * width + i] * h[n * width + i];
                    next[n * width + o] = h[n * width + o] + Math.Tanh(a);
                }
            }
            for (int i = 0; i < batch * width; i++) h[i] = next[i];
        }
        double loss = 0;
        for (int i = 0; i < batch * width; i++) loss += (h[i] - y[i]) * (h[i] - y[i]);
        return loss / (batch * width);
    }

    [Differentiable]
    public static double DeepSigmoid(double[] w, double[] b, [NoGrad] double[] x, [NoGrad] int[] labels, int layers, int batch, int width)
    {
        var h = new double[batch * width];
        var next = new double[batch * width];
        for (int i = 0; i < batch * width; i++) h[i] = x[i];
        for (int l = 0; l < layers; l++)
        {
            for (int n = 0; n < batch; n++)
            {
                for (int o = 0; o < width; o++)
                {
                    double a = b[l * width + o];
                    for (int i = 0; i < width; i++) a += w[(l * width + o) * width + i] * h[n * width + i];
                    next[n * width + o] = 1 / (1 + Math.Exp(-a));
                }
            }
            for (int i = 0; i < batch * width; i++) h[i] = next[i];
        }
        double loss = 0;
        for (int n = 0; n < batch; n++)
        {
            double m = double.NegativeInfinity;
            for (int c = 0; c < width; c++) m = Math.Max(m, h[n * width + c]);
            double s = 0;
            for (int c = 0; c < width; c++) s += Math.Exp(h[n * width + c] - m);
            loss += m + Math.Log(s) - h[n * width + labels[n]];
        }
        return loss / batch;
    }
}

/// <summary>A stack too deep to unroll (300 layers; the limit for layers is 256): its loop stays rolled, with constant bounds.</summary>
public static partial class RolledStack
{
    [Differentiable]
    public static float Loss(Tensor[] w, [NoGrad] Tensor x)
    {
        var h = x;
        for (int l = 0; l < 300; l++)
            h = Nn.Tanh(Nn.MatMul(h, w[l]));
        return Nn.Sum(h);
    }
}

/// <summary>A rolled loop that reads one tensor ahead of its counter (w[l + 1]).</summary>
public static partial class RolledStackAhead
{
    [Differentiable]
    public static float Loss(Tensor[] w, [NoGrad] Tensor x)
    {
        var h = x;
        for (int l = 0; l < 299; l++)
            h = Nn.Tanh(Nn.MatMul(h, w[l + 1]));
        return Nn.Sum(h);
    }
}
