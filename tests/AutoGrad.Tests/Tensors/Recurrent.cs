using System;

namespace AutoGrad.Tests.Tensors;

/// <summary>Recurrent networks over sequences whose length is known only at run time.</summary>
public static partial class Recurrent
{
    [Differentiable]
    public static float Rnn(Tensor wx, Tensor wh, Tensor b, Tensor wo, Tensor bo,
                            [NoGrad] Tensor[] xs, [NoGrad] Tensor h0, [NoGrad] Tensor y, int steps)
    {
        var h = h0;
        for (int t = 0; t < steps; t++)
        {
            h = Nn.RnnCell(xs[t], h, wx, wh, b);
        }
        return Nn.Mse(Nn.Linear(h, wo, bo), y);
    }

    [Differentiable]
    public static float Lstm(Tensor wx, Tensor wh, Tensor b, Tensor wo, Tensor bo,
                             [NoGrad] Tensor[] xs, [NoGrad] Tensor s0, [NoGrad] Tensor[] ys, int steps)
    {
        var state = s0;
        float loss = 0;
        for (int t = 0; t < steps; t++)
        {
            state = Nn.LstmCell(xs[t], state, wx, wh, b);
            loss += Nn.Mse(Nn.Linear(Nn.LstmHidden(state), wo, bo), ys[t]);   // a loss at every step
        }
        return loss / steps;
    }
}

/// <summary>The same recurrences with scalar loops, differentiated by the core engine.</summary>
public static partial class ScalarRecurrent
{
    private static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));

    [Differentiable]
    public static double Rnn(double[] wx, double[] wh, double[] b, double[] wo, double[] bo,
        [NoGrad] double[] xs, [NoGrad] double[] h0, [NoGrad] double[] y, int steps, int batch, int inputs, int hidden, int outputs)
    {
        var h = new double[batch * hidden];
        var next = new double[batch * hidden];
        for (int i = 0; i < batch * hidden; i++) h[i] = h0[i];
        for (int t = 0; t < steps; t++)
        {
            for (int n = 0; n < batch; n++)
            {
                for (int u = 0; u < hidden; u++)
                {
                    double a = b[u];
                    for (int i = 0; i < inputs; i++) a += wx[u * inputs + i] * xs[(t * batch + n) * inputs + i];
                    for (int v = 0; v < hidden; v++) a += wh[u * hidden + v] * h[n * hidden + v];
                    next[n * hidden + u] = Math.Tanh(a);
                }
            }
            for (int i = 0; i < batch * hidden; i++) h[i] = next[i];
        }
        double loss = 0;
        for (int n = 0; n < batch; n++)
        {
            for (int o = 0; o < outputs; o++)
            {
                double z = bo[o];
                for (int u = 0; u < hidden; u++) z += wo[o * hidden + u] * h[n * hidden + u];
                loss += (z - y[n * outputs + o]) * (z - y[n * outputs + o]);
            }
        }
        return loss / (batch * outputs);
    }

    [Differentiable]
    public static double Lstm(double[] wx, double[] wh, double[] b, double[] wo, double[] bo,
        [NoGrad] double[] xs, [NoGrad] double[] ys, int steps, int batch, int inputs, int hidden, int outputs)
    {
        var h = new double[batch * hidden];
        var c = new double[batch * hidden];
        var hNext = new double[batch * hidden];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int n = 0; n < batch; n++)
            {
                for (int u = 0; u < hidden; u++)
                {
                    double gi = b[u], gf = b[hidden + u], gg = b[2 * hidden + u], go = b[3 * hidden + u];
                    for (int i = 0; i < inputs; i++)
                    {
                        double xv = xs[(t * batch + n) * inputs + i];
                        gi += wx[u * inputs + i] * xv;
                        gf += wx[(hidden + u) * inputs + i] * xv;
                        gg += wx[(2 * hidden + u) * inputs + i] * xv;
                        go += wx[(3 * hidden + u) * inputs + i] * xv;
                    }
                    for (int v = 0; v < hidden; v++)
                    {
                        double hv = h[n * hidden + v];
                        gi += wh[u * hidden + v] * hv;
                        gf += wh[(hidden + u) * hidden + v] * hv;
                        gg += wh[(2 * hidden + u) * hidden + v] * hv;
                        go += wh[(3 * hidden + u) * hidden + v] * hv;
                    }
                    double cell = 1 / (1 + Math.Exp(-gf)) * c[n * hidden + u] + 1 / (1 + Math.Exp(-gi)) * Math.Tanh(gg);
                    c[n * hidden + u] = cell;
                    hNext[n * hidden + u] = 1 / (1 + Math.Exp(-go)) * Math.Tanh(cell);
                }
            }
            for (int i = 0; i < batch * hidden; i++) h[i] = hNext[i];
            double stepLoss = 0;
            for (int n = 0; n < batch; n++)
            {
                for (int o = 0; o < outputs; o++)
                {
                    double z = bo[o];
                    for (int u = 0; u < hidden; u++) z += wo[o * hidden + u] * h[n * hidden + u];
                    double d = z - ys[(t * batch + n) * outputs + o];
                    stepLoss += d * d;
                }
            }
            loss += stepLoss / (batch * outputs);
        }
        return loss / steps;
    }
}
