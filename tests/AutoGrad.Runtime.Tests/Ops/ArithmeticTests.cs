using System;
using System.Linq;
using AutoGrad.Runtime.Tests.Support;
using Xunit;

namespace AutoGrad.Runtime.Tests.Ops;

public class ArithmeticTests
{
    private delegate void BinaryInto(ref Tensor? result, Tensor a, Tensor b, OpSite site);

    private delegate void BinaryPullback(Tensor a, Tensor b, Tensor result, Tensor dResult, GradTarget dA, GradTarget dB, OpSite site);

    [Theory]
    [InlineData(3, 4, 5)]
    [InlineData(33, 20, 47)]
    public void MatMulMatchesFiniteDifferences(int m, int k, int n)
    {
        Tensor a = TestRandom.Tensor(1, m, k), b = TestRandom.Tensor(2, k, n);
        Tensor? result = null;
        var site = new OpSite("MatMul", "T.cs", 1, "a", "b");
        new GradientCheck
        {
            Inputs = [a, b],
            Reference = v =>
            {
                var bt = new double[n * k];
                for (int i = 0; i < k; i++)
                {
                    for (int j = 0; j < n; j++)
                    {
                        bt[j * k + i] = v[1][i * n + j];
                    }
                }
                return Reference.MatMulNT(v[0], bt, m, k, n);
            },
            Forward = () =>
            {
                Nn.MatMulInto(ref result, a, b, site);
                return result!.ToArray();
            },
            Pullback = (g, t) => Nn.MatMulPullback(a, b, result!, Tensor.FromValues(g, m, n), t[0], t[1], site),
        }.Run();
    }

    /// <summary>Which operand is a vector over the other's rows: none, the second (a bias) or the first.</summary>
    public enum Vector
    {
        None,
        Second,
        First,
    }

    [Theory]
    [InlineData("Add", Vector.None)]
    [InlineData("Add", Vector.Second)]
    [InlineData("Add", Vector.First)]
    [InlineData("Sub", Vector.None)]
    [InlineData("Sub", Vector.Second)]
    [InlineData("Sub", Vector.First)]
    [InlineData("Mul", Vector.None)]
    [InlineData("Mul", Vector.Second)]
    [InlineData("Mul", Vector.First)]
    public void BinaryOpsMatchFiniteDifferences(string op, Vector vector)
    {
        var (into, pullback, f) = op switch
        {
            "Add" => ((BinaryInto)Nn.AddInto, (BinaryPullback)Nn.AddPullback, (Func<double, double, double>)((x, y) => x + y)),
            "Sub" => (Nn.SubInto, Nn.SubPullback, (x, y) => x - y),
            _ => (Nn.MulInto, Nn.MulPullback, (Func<double, double, double>)((x, y) => x * y)),
        };
        const int Rows = 5, Cols = 19;
        Tensor a = vector == Vector.First ? TestRandom.Tensor(1, Cols) : TestRandom.Tensor(1, Rows, Cols);
        Tensor b = vector == Vector.Second ? TestRandom.Tensor(2, Cols) : TestRandom.Tensor(2, Rows, Cols);
        Tensor? result = null;
        var site = new OpSite(op, "T.cs", 1, "a", "b");
        new GradientCheck
        {
            Inputs = [a, b],
            Reference = v => Enumerable.Range(0, Rows * Cols)
                .Select(i => f(v[0][vector == Vector.First ? i % Cols : i], v[1][vector == Vector.Second ? i % Cols : i])).ToArray(),
            Forward = () =>
            {
                into(ref result, a, b, site);
                Assert.Equal([Rows, Cols], result!.Shape.ToArray());
                return result!.ToArray();
            },
            Pullback = (g, t) => pullback(a, b, result!, Tensor.FromValues(g, Rows, Cols), t[0], t[1], site),
        }.Run();
    }

    [Fact]
    public void ScaleDifferentiatesTheTensorAndTheScalar()
    {
        Tensor x = TestRandom.Tensor(1, 4, 9);
        Tensor s = Tensor.FromValues([-1.7f], 1);
        Tensor? result = null;
        var site = new OpSite("Scale", "T.cs", 1, "x", "s");
        new GradientCheck
        {
            Inputs = [x, s],
            Reference = v => Reference.Map(v[0], e => e * v[1][0]),
            Forward = () =>
            {
                Nn.ScaleInto(ref result, x, s[0], site);
                return result!.ToArray();
            },
            Pullback = (g, t) =>
            {
                // A scalar gradient is a ref float that always accumulates; map the harness's modes onto it.
                float ds = t[1].IsAccumulate ? t[1].Tensor![0] : 0f;
                Nn.ScalePullback(x, s[0], result!, Tensor.FromValues(g, 4, 9), t[0], ref ds, site);
                if (t[1].IsActive)
                {
                    t[1].Tensor![0] = ds;
                }
            },
        }.Run();
    }

    [Fact]
    public void BroadcastMismatchNamesBothShapes()
    {
        Tensor? result = null;
        var site = new OpSite("Add", "/p/Net.cs", 30, "h", "bias");
        var error = Assert.Throws<ShapeMismatchException>(() => Nn.AddInto(ref result, Tensor.Zeros(8, 16), Tensor.Zeros(15), site));
        Assert.Equal(
            "Add at Net.cs:30: h has shape [8, 16] but bias has shape [15]; they must have the same shape, or one must be a vector as " +
            "long as the other's last axis (applied to every row)",
            error.Message);
    }

    /// <summary>Review helper-87: a direct call named an argument that is no plain name by the op's parameter alone
    /// ('b' for w[l + 1] or a nested op), which can be one of the user's own variables, another tensor.</summary>
    [Fact]
    public void ADirectCallNamesAnIndexedArgumentAsWrittenAndANestedOpAsTheOpsParameter()
    {
        Tensor h = Tensor.Zeros(2, 4), x = Tensor.Zeros(2, 2);
        Tensor[] w = [Tensor.Zeros(3, 3), Tensor.Zeros(3, 4), Tensor.Zeros(3, 4)];
        int l = 1;
        var indexed = Assert.Throws<ShapeMismatchException>(() => Nn.MatMul(h, w[l + 1]));
        Assert.EndsWith("h has 4 columns but w[l + 1] has 3 rows (h is [2, 4], w[l + 1] is [3, 4])", indexed.Message);
        var nested = Assert.Throws<ShapeMismatchException>(() => Nn.Mul(h, Nn.Concat(h, x)));
        Assert.Contains("Mul's b", nested.Message);
        Assert.DoesNotContain(" b ", nested.Message.Replace("Mul's b", "", StringComparison.Ordinal));
    }

    [Fact]
    public void MatMulInnerMismatchNamesSite()
    {
        var error = Assert.Throws<ShapeMismatchException>(() => Nn.MatMul(Tensor.Zeros(2, 3), Tensor.Zeros(4, 5)));
        Assert.Matches(@"^MatMul at ArithmeticTests\.cs:\d+: MatMul's a has 3 columns but MatMul's b has 4 rows \(MatMul's a is \[2, 3\], MatMul's b is \[4, 5\]\)$", error.Message);
    }
}
