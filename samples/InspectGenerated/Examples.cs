using System;

namespace InspectGenerated;

/// <summary>Two differentiable methods to look at: a scalar loss and a small tensor network.</summary>
public static partial class Examples
{
    /// <summary>A regularized least-squares loss over a run-time number of points: Σ (a·(w₀·xᵢ + w₁) − yᵢ)² / n + λ‖w‖².</summary>
    [Differentiable]
    public static double LeastSquares(double a, ReadOnlySpan<double> w, [NoGrad] double[] x, [NoGrad] double[] y, int n)
    {
        double loss = 0;
        for (int i = 0; i < n; i++)
        {
            double error = a * (w[0] * x[i] + w[1]) - y[i];
            loss += error * error;
        }
        return loss / n + 0.01 * (w[0] * w[0] + w[1] * w[1]);
    }

    /// <summary>A one-hidden-layer classifier of the digits.</summary>
    [Differentiable]
    public static float Classifier(Tensor w1, Tensor b1, Tensor w2, Tensor b2, [NoGrad] Tensor x, [NoGrad] int[] labels)
    {
        var h = Nn.Relu(Nn.Linear(x, w1, b1));
        return Nn.SoftmaxCrossEntropy(Nn.Linear(h, w2, b2), labels);
    }
}
