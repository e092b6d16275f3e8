using System.Linq;
using AutoGrad.Testing;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Tensors;

/// <summary>A tensor declared without a value and assigned in the branches of an if, and locals named like generated ones.</summary>
public static partial class DeclarationsAndNames
{
    [Differentiable]
    public static float Branches(Tensor w, [NoGrad] Tensor x, [NoGrad] bool squash)
    {
        Tensor h;
        if (squash) h = Nn.Tanh(Nn.MatMul(x, w));
        else h = Nn.Sigmoid(Nn.MatMul(x, w));
        return Nn.Sum(Nn.Mul(h, h));
    }

    /// <summary>The same with the nullable declaration many write first.</summary>
    [Differentiable]
    public static float NullFirst(Tensor w, [NoGrad] Tensor x, [NoGrad] bool squash)
    {
        Tensor? h = null;
        if (squash) h = Nn.Tanh(Nn.MatMul(x, w));
        else h = Nn.Sigmoid(Nn.MatMul(x, w));
        return Nn.Sum(Nn.Mul(h, h));
    }

    /// <summary>Ops in if conditions: they run into workspace slots like any other op, so a warm step allocates nothing.</summary>
    [Differentiable]
    public static float OpsInConditions(Tensor w, [NoGrad] Tensor x)
    {
        var h = Nn.Tanh(Nn.MatMul(x, w));
        if (Nn.Sum(h) > 0) h = Nn.Mul(h, h);
        else if (Nn.Mean(h) < -0.5f) h = Nn.Scale(h, 3f);
        return Nn.Sum(h);
    }

    /// <summary>Locals named like what the generated gradient declares (its probes, seed and workspace).</summary>
    [Differentiable]
    public static float GeneratedNames(Tensor w, [NoGrad] Tensor x)
    {
        var probes = Nn.Tanh(Nn.MatMul(x, w));
        var dResult = Nn.Mul(probes, probes);
        float _ws = Nn.Sum(dResult);
        return _ws;
    }
}

public class DeclarationsAndNamesTests
{
    private static Tensor Random(int seed, params int[] shape) =>
        Tensor.FromValues(GradCheck.RandomFloat(shape.Aggregate(1, (a, d) => a * d), seed), shape);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ATensorAssignedInEachBranch(bool squash)
    {
        Tensor w = Random(81, 3, 3), x = Random(82, 2, 3), dW = Tensor.Zeros(3, 3);
        DeclarationsAndNames.BranchesGradient(w, x, squash, dW);
        GradCheck.Tensors([w], [dW], () => DeclarationsAndNames.Branches(w, x, squash));

        Tensor dW2 = Tensor.Zeros(3, 3);
        DeclarationsAndNames.NullFirstGradient(w, x, squash, dW2);
        Assert.Equal(dW.ToArray(), dW2.ToArray());
    }

    [Theory]
    [InlineData(85)]
    [InlineData(86)]
    [InlineData(87)]
    public void OpsInConditions(int seed)
    {
        Tensor w = Random(seed, 3, 3), x = Random(seed + 100, 2, 3), dW = Tensor.Zeros(3, 3);
        DeclarationsAndNames.OpsInConditionsGradient(w, x, dW);
        GradCheck.Tensors([w], [dW], () => DeclarationsAndNames.OpsInConditions(w, x));
        Allocations.AssertNoneAfterWarmUp(() => DeclarationsAndNames.OpsInConditionsGradient(w, x, dW));
    }

    [Fact]
    public void LocalsNamedLikeGeneratedOnes()
    {
        Tensor w = Random(83, 3, 3), x = Random(84, 2, 3), dW = Tensor.Zeros(3, 3);
        var probes = new Probes.GradientProbes(DeclarationsAndNames.GeneratedNamesProbeLayout);
        DeclarationsAndNames.GeneratedNamesGradient(w, x, dW, probes);
        GradCheck.Tensors([w], [dW], () => DeclarationsAndNames.GeneratedNames(w, x));
    }
}
