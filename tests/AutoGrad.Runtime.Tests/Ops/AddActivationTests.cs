using System;
using System.Linq;
using AutoGrad.Runtime.Tests.Support;
using Xunit;

namespace AutoGrad.Runtime.Tests.Ops;

public class AddActivationTests
{
    /// <summary>Which operand is a vector over the other's rows.</summary>
    public enum Vector
    {
        None,
        Second,
        First,
    }

    [Theory]
    [InlineData(FusedActivation.Relu, Vector.None, 5, 19)]
    [InlineData(FusedActivation.Tanh, Vector.Second, 7, 45)]
    [InlineData(FusedActivation.Sigmoid, Vector.First, 3, 13)]
    [InlineData(FusedActivation.Tanh, Vector.Second, 5, 64)] // whole vectors of columns: the vector's gradient is summed with dZ
    [InlineData(FusedActivation.Relu, Vector.First, 4, 32)]
    public void MatchesFiniteDifferences(FusedActivation activation, Vector vector, int rows, int cols)
    {
        Func<double, double> f = activation switch
        {
            FusedActivation.Relu => v => Math.Max(v, 0),
            FusedActivation.Tanh => Math.Tanh,
            _ => Reference.Sigmoid,
        };
        Tensor a = vector == Vector.First ? TestRandom.Tensor(1, cols) : TestRandom.Tensor(1, rows, cols);
        Tensor b = vector == Vector.Second ? TestRandom.Tensor(2, cols) : TestRandom.Tensor(2, rows, cols);
        Tensor? result = null;
        var site = new OpSite("Add", "T.cs", 1, "a", "b", "activation");
        new GradientCheck
        {
            Inputs = [a, b],
            Reference = v => Enumerable.Range(0, rows * cols)
                .Select(i => f(v[0][vector == Vector.First ? i % cols : i] + v[1][vector == Vector.Second ? i % cols : i])).ToArray(),
            Forward = () =>
            {
                Nn.AddActivationInto(ref result, a, b, activation, site);
                return result!.ToArray();
            },
            Pullback = (g, t) => Nn.AddActivationPullback(a, b, activation, result!, Tensor.FromValues(g, rows, cols), t[0], t[1], site),
        }.Run();
    }

    [Theory]
    [InlineData(FusedActivation.Relu)]
    [InlineData(FusedActivation.Tanh)]
    [InlineData(FusedActivation.Sigmoid)]
    public void EqualsTheUnfusedCompositionBitForBit(FusedActivation activation)
    {
        // 37 × 70 fits one block; 300 × 100 takes four, of whole rows, and 9000 = 600 × 15 unbroadcast ones two.
        foreach ((int rows, int cols, bool broadcast) in new[] { (37, 70, true), (300, 100, true), (600, 15, false) })
        {
            Tensor h = TestRandom.Tensor(1, 3f, rows, cols);
            Tensor other = broadcast ? TestRandom.Tensor(3, cols) : TestRandom.Tensor(3, rows, cols);
            Tensor unfused = activation switch
            {
                FusedActivation.Relu => Nn.Relu(Nn.Add(h, other)),
                FusedActivation.Tanh => Nn.Tanh(Nn.Add(h, other)),
                _ => Nn.Sigmoid(Nn.Add(h, other)),
            };
            Assert.Equal(unfused.ToArray(), Nn.AddActivation(h, other, activation).ToArray());
            Assert.Equal(unfused.ToArray(), Nn.AddActivation(other, h, activation).ToArray());
        }
    }

    [Fact]
    public void AShapeMismatchNamesTheAddAndBothShapes()
    {
        Tensor? result = null;
        var site = new OpSite("Add", "/p/Net.cs", 7, "Nn.MatMul(x, w)", "b", "Tanh");
        var error = Assert.Throws<ShapeMismatchException>(() => Nn.AddActivationInto(ref result, Tensor.Zeros(4, 8), Tensor.Zeros(7), FusedActivation.Tanh, site));
        Assert.StartsWith("Add at Net.cs:7: Nn.MatMul(x, w) has shape [4, 8] but b has shape [7]", error.Message);
    }
}
