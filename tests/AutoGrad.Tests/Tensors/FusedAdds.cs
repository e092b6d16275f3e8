using System.Linq;
using AutoGrad.Testing;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Tensors;

/// <summary>
/// A layer written with MatMul and a bias, and a recurrence summing two products: the activation of each Add runs as
/// one fused op (<see cref="Nn.AddActivation"/>). The same code with the sum in a variable of its own runs unfused.
/// </summary>
public static partial class FusedAdds
{
    [Differentiable]
    public static float Fused(Tensor w, Tensor b, Tensor wx, Tensor wh, [NoGrad] Tensor x, [NoGrad] Tensor y)
    {
        var h = Nn.Relu(Nn.Add(Nn.MatMul(x, w), b));
        var r = Nn.Tanh(Nn.Add(Nn.MatMul(h, wx), Nn.MatMul(x, wh)));
        var g = Nn.Sigmoid(Nn.Add(b, r));
        return Nn.Mse(g, y);
    }

    [Differentiable]
    public static float Unfused(Tensor w, Tensor b, Tensor wx, Tensor wh, [NoGrad] Tensor x, [NoGrad] Tensor y)
    {
        var z = Nn.Add(Nn.MatMul(x, w), b);
        var h = Nn.Relu(z);
        var s = Nn.Add(Nn.MatMul(h, wx), Nn.MatMul(x, wh));
        var r = Nn.Tanh(s);
        var t = Nn.Add(b, r);
        var g = Nn.Sigmoid(t);
        return Nn.Mse(g, y);
    }
}

public class FusedAddTests
{
    private static Tensor Random(int seed, params int[] shape) =>
        Tensor.FromValues(GradCheck.RandomFloat(shape.Aggregate(1, (a, d) => a * d), seed, -0.8f, 0.8f), shape);

    [Fact]
    public void FusedAddsGiveTheUnfusedValuesAndGradients()
    {
        const int batch = 5, n = 6;
        Tensor w = Random(1, n, n), b = Random(2, n), wx = Random(3, n, n), wh = Random(4, n, n), x = Random(5, batch, n), y = Random(6, batch, n);
        Tensor[] fused = [Tensor.Zeros(n, n), Tensor.Zeros(n), Tensor.Zeros(n, n), Tensor.Zeros(n, n)];
        Tensor[] unfused = [Tensor.Zeros(n, n), Tensor.Zeros(n), Tensor.Zeros(n, n), Tensor.Zeros(n, n)];
        float lossFused = FusedAdds.FusedGradient(w, b, wx, wh, x, y, fused[0], fused[1], fused[2], fused[3]);
        float lossUnfused = FusedAdds.UnfusedGradient(w, b, wx, wh, x, y, unfused[0], unfused[1], unfused[2], unfused[3]);
        Assert.Equal(lossUnfused, lossFused);
        for (int i = 0; i < fused.Length; i++)
        {
            float[] f = fused[i].ToArray(), u = unfused[i].ToArray();
            for (int j = 0; j < f.Length; j++) Assert.Equal(u[j], f[j], 6);
        }
        GradCheck.Tensors([w, b, wx, wh], fused, () => FusedAdds.Fused(w, b, wx, wh, x, y));
        Allocations.AssertNoneAfterWarmUp(() => FusedAdds.FusedGradient(w, b, wx, wh, x, y, fused[0], fused[1], fused[2], fused[3]));
    }
}
