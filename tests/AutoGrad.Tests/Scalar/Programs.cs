using System;

namespace AutoGrad.Tests.Scalar;

/// <summary>Real programs: the kind of code people differentiate.</summary>
public static partial class Programs
{
    [Differentiable]
    public static double Rosenbrock(ReadOnlySpan<double> x)
    {
        double s = 0;
        for (int i = 0; i < x.Length - 1; i++)
        {
            double a = x[i + 1] - x[i] * x[i];
            double b = 1 - x[i];
            s += 100 * a * a + b * b;
        }
        return s;
    }

    [Differentiable]
    public static double LogSumExp(ReadOnlySpan<double> x)
    {
        double m = x[0];
        for (int i = 1; i < x.Length; i++) m = Math.Max(m, x[i]);
        double s = 0;
        for (int i = 0; i < x.Length; i++) s += Math.Exp(x[i] - m);
        return m + Math.Log(s);
    }

    /// <summary>Gaussian mixture log-likelihood with diagonal covariances: nested loops and a local array.</summary>
    [Differentiable]
    public static double GaussianMixture(double[] logWeights, double[] means, double[] logSigmas, [NoGrad] double[] x, int n, int d, int k)
    {
        var logComponent = new double[k];
        double maxW = logWeights[0];
        for (int j = 1; j < k; j++) maxW = Math.Max(maxW, logWeights[j]);
        double sumW = 0;
        for (int j = 0; j < k; j++) sumW += Math.Exp(logWeights[j] - maxW);
        double logNormalizer = maxW + Math.Log(sumW);

        double total = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < k; j++)
            {
                double q = 0;
                double logDet = 0;
                for (int t = 0; t < d; t++)
                {
                    double z = (x[i * d + t] - means[j * d + t]) * Math.Exp(-logSigmas[j * d + t]);
                    q += z * z;
                    logDet += logSigmas[j * d + t];
                }
                logComponent[j] = logWeights[j] - logDet - 0.5 * q;
            }
            double m = logComponent[0];
            for (int j = 1; j < k; j++) m = Math.Max(m, logComponent[j]);
            double s = 0;
            for (int j = 0; j < k; j++) s += Math.Exp(logComponent[j] - m);
            total += m + Math.Log(s);
        }
        return total - n * logNormalizer - 0.5 * n * d * Math.Log(2 * Math.PI);
    }

    /// <summary>An LSTM-style recurrence that overwrites its hidden and cell state arrays at every step.</summary>
    [Differentiable]
    public static double LstmRecurrence(double[] weights, [NoGrad] double[] inputs, int steps, int hidden)
    {
        var h = new double[hidden];
        var c = new double[hidden];
        var next = new double[hidden];
        for (int t = 0; t < steps; t++)
        {
            for (int u = 0; u < hidden; u++)
            {
                double pre = inputs[t] * weights[u] + weights[hidden + u];
                for (int v = 0; v < hidden; v++) pre += weights[2 * hidden + u * hidden + v] * h[v];
                double gate = 1 / (1 + Math.Exp(-pre));
                double candidate = Math.Tanh(pre * 0.5 + weights[u]);
                c[u] = gate * c[u] + (1 - gate) * candidate;
                next[u] = gate * Math.Tanh(c[u]);
            }
            for (int u = 0; u < hidden; u++) h[u] = next[u];
        }
        double loss = 0;
        for (int u = 0; u < hidden; u++) loss += (h[u] - 0.25) * (h[u] - 0.25);
        return loss;
    }

    /// <summary>Damped oscillator x'' = -k x - c x' integrated with classical Runge-Kutta; loss on the end state.</summary>
    [Differentiable]
    public static double RungeKutta(double k, double damping, double x0, int steps, [NoGrad] double dt)
    {
        double x = x0;
        double v = 0;
        for (int s = 0; s < steps; s++)
        {
            double k1x = v;
            double k1v = -k * x - damping * v;
            double k2x = v + 0.5 * dt * k1v;
            double k2v = -k * (x + 0.5 * dt * k1x) - damping * (v + 0.5 * dt * k1v);
            double k3x = v + 0.5 * dt * k2v;
            double k3v = -k * (x + 0.5 * dt * k2x) - damping * (v + 0.5 * dt * k2v);
            double k4x = v + dt * k3v;
            double k4v = -k * (x + dt * k3x) - damping * (v + dt * k3v);
            x += dt / 6 * (k1x + 2 * k2x + 2 * k3x + k4x);
            v += dt / 6 * (k1v + 2 * k2v + 2 * k3v + k4v);
        }
        return x * x + 0.1 * v * v;
    }

    /// <summary>A 2-layer MLP with tanh and a softmax cross-entropy loss, written with loops.</summary>
    [Differentiable]
    public static double Mlp(double[] w1, double[] b1, double[] w2, double[] b2, [NoGrad] double[] x, [NoGrad] int[] labels,
        int batch, int inputs, int hidden, int classes)
    {
        var h = new double[hidden];
        var logits = new double[classes];
        double loss = 0;
        for (int n = 0; n < batch; n++)
        {
            for (int j = 0; j < hidden; j++)
            {
                double a = b1[j];
                for (int i = 0; i < inputs; i++) a += w1[j * inputs + i] * x[n * inputs + i];
                h[j] = Math.Tanh(a);
            }
            double m = double.NegativeInfinity;
            for (int c = 0; c < classes; c++)
            {
                double z = b2[c];
                for (int j = 0; j < hidden; j++) z += w2[c * hidden + j] * h[j];
                logits[c] = z;
                m = Math.Max(m, z);
            }
            double s = 0;
            for (int c = 0; c < classes; c++) s += Math.Exp(logits[c] - m);
            loss += m + Math.Log(s) - logits[labels[n]];
        }
        return loss / batch;
    }
}
