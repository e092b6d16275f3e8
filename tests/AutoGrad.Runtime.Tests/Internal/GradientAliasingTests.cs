using System;
using AutoGrad.Internal;
using Xunit;

namespace AutoGrad.Runtime.Tests.Internal;

public class GradientAliasingTests
{
    private static void Call(GradientAliasing check, Tensor[] gradients, Tensor[] arguments, Tensor x)
    {
        check.Begin();
        check.Add(gradients);
        check.EndGradients();
        check.Add(arguments);
        check.Add(x);
        check.Check("dW,w,x");
    }

    [Fact]
    public void AfterATensorArrayChangesLengthTheMessageNamesTheRightParameter()
    {
        Tensor a = Tensor.Zeros(2), b = Tensor.Zeros(2), c = Tensor.Zeros(2), d = Tensor.Zeros(2), e = Tensor.Zeros(2);
        var check = new GradientAliasing();
        Call(check, [a, b], [c, d], e);
        // dW grows by one, moving w and x; C is both dW[2] and x: the same objects sit where the last call had others.
        var error = Assert.Throws<ArgumentException>(() => Call(check, [a, b, c], [d, e], c));
        Assert.Contains("'dW[2]' shares memory with 'x'", error.Message);
    }

    [Fact]
    public void AnArrayGradientIsToldToUseANewArrayAndATensorGradientTensorZeros()
    {
        double[] w = new double[4];
        var array = Assert.Throws<ArgumentException>(() => GradientAliasing.CheckDisjoint<double>(w, w, "dW", "w"));
        Assert.Contains("a new array of the parameter's length", array.Message);
        Assert.DoesNotContain("Tensor.Zeros", array.Message);
        Tensor t = Tensor.Zeros(4);
        var tensor = Assert.Throws<ArgumentException>(() => GradientAliasing.CheckDisjoint(t, t.Span, "dW", "w"));
        Assert.Contains("Tensor.Zeros", tensor.Message);
    }

    [Fact]
    public void OnlyTheChangedTensorsAreCheckedAndEveryOverlapIsFound()
    {
        Tensor a = Tensor.Zeros(2), b = Tensor.Zeros(2), c = Tensor.Zeros(2);
        var check = new GradientAliasing();
        Call(check, [a], [b], c);
        Call(check, [a], [b], Tensor.Zeros(2));                 // a new input each step
        Assert.Throws<ArgumentException>(() => Call(check, [a], [b], a));   // the input is the gradient
        Assert.Throws<ArgumentException>(() => Call(check, [b], [b], c));   // the gradient is the weight
        Call(check, [a], [b], c);                                // the first call's tensors pass again
    }
}
