using System;
using System.Linq;
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

    /// <summary>A method with fixed positions: one gradient, one weight, one input.</summary>
    private static bool Track(GradientAliasing check, Tensor dW, Tensor w, Tensor x)
    {
        check.Track(0, dW);
        check.Track(1, w);
        check.Track(2, x);
        if (!check.Changed) return false;
        check.Check("dW,w,x", 3, 1);
        return true;
    }

    [Fact]
    public void TrackedTensorsAreCheckedOnlyWhenOneChangedAndEveryOverlapIsFound()
    {
        Tensor a = Tensor.Zeros(2), b = Tensor.Zeros(2), c = Tensor.Zeros(2);
        var check = new GradientAliasing();
        Assert.True(Track(check, a, b, c));                      // the first call is checked in full
        Assert.False(Track(check, a, b, c));                     // the same tensors pass at once
        Assert.True(Track(check, a, b, Tensor.Zeros(2)));        // a new input each step
        var input = Assert.Throws<ArgumentException>(() => Track(check, a, b, a));
        Assert.Contains("'dW' shares memory with 'x'", input.Message);
        var weight = Assert.Throws<ArgumentException>(() => Track(check, b, b, c));
        Assert.Contains("'dW' shares memory with 'w'", weight.Message);
        Assert.Throws<ArgumentException>(() => Track(check, b, b, c));    // refused again, not remembered
        Assert.True(Track(check, a, b, c));
        Assert.False(Track(check, a, b, c));
    }

    [Fact]
    public void ATrackedChangeStaysPendingUntilACheckPasses()
    {
        // The generated code skips its shape checks while Changed is false: a call that threw before Check (a wrong
        // shape) must leave the next call with the same tensors to be checked as well.
        Tensor a = Tensor.Zeros(2), b = Tensor.Zeros(2), c = Tensor.Zeros(2), bad = Tensor.Zeros(3);
        var check = new GradientAliasing();
        Track(check, a, b, c);
        check.Track(0, bad);
        check.Track(1, b);
        check.Track(2, c);
        Assert.True(check.Changed);                             // the caller throws here, before Check
        Assert.True(Track(check, bad, b, c));
    }

    [Fact]
    public void ManyTrackedTensorsGrowTheRecord()
    {
        var check = new GradientAliasing();
        Tensor[] tensors = Enumerable.Range(0, 40).Select(_ => Tensor.Zeros(2)).ToArray();
        string names = string.Join(",", Enumerable.Range(0, 40).Select(i => "t" + i));
        for (int i = 0; i < 40; i++) check.Track(i, tensors[i]);
        check.Check(names, 40, 20);
        for (int i = 0; i < 40; i++) check.Track(i, tensors[i]);
        Assert.False(check.Changed);
        check.Track(39, tensors[3]);
        var e = Assert.Throws<ArgumentException>(() => check.Check(names, 40, 20));
        Assert.Contains("'t3' shares memory with 't39'", e.Message);
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
