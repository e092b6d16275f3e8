using System;
using System.Collections.Generic;
using AutoGrad.Generator.Model;
using static AutoGrad.Generator.Differentiation.Exprs;

namespace AutoGrad.Generator.Differentiation;

/// <summary>
/// Pullbacks of <c>System.Math</c> and <c>System.MathF</c> functions: for <c>r = f(x, ...)</c> and an incoming
/// adjoint <c>g</c>, the contribution <c>g · ∂f/∂x</c> to each argument. One entry per function, so a newcomer
/// finds the derivative of Tanh here in seconds.
/// </summary>
internal static class MathDerivatives
{
    private static readonly Dictionary<string, int[]> s_arity = new()
    {
        ["Exp"] = new[] { 1 }, ["Log"] = new[] { 1 }, ["Log10"] = new[] { 1 }, ["Log2"] = new[] { 1 },
        ["Sqrt"] = new[] { 1 }, ["Cbrt"] = new[] { 1 }, ["Pow"] = new[] { 2 },
        ["Sin"] = new[] { 1 }, ["Cos"] = new[] { 1 }, ["Tan"] = new[] { 1 },
        ["Asin"] = new[] { 1 }, ["Acos"] = new[] { 1 }, ["Atan"] = new[] { 1 }, ["Atan2"] = new[] { 2 },
        ["Sinh"] = new[] { 1 }, ["Cosh"] = new[] { 1 }, ["Tanh"] = new[] { 1 },
        ["Asinh"] = new[] { 1 }, ["Acosh"] = new[] { 1 }, ["Atanh"] = new[] { 1 },
        ["Abs"] = new[] { 1 }, ["Max"] = new[] { 2 }, ["Min"] = new[] { 2 }, ["Clamp"] = new[] { 3 },
        ["FusedMultiplyAdd"] = new[] { 3 },
        // Piecewise constant: the derivative is zero wherever it exists.
        ["Floor"] = new[] { 1 }, ["Ceiling"] = new[] { 1 }, ["Round"] = new[] { 1, 2, 3 }, ["Sign"] = new[] { 1 },
        ["Truncate"] = new[] { 1 },
    };

    private static readonly HashSet<string> s_zeroGradient = new() { "Floor", "Ceiling", "Round", "Sign", "Truncate" };

    public static bool IsKnown(string function, int arity) =>
        s_arity.TryGetValue(function, out int[]? arities) && Array.IndexOf(arities, arity) >= 0;

    /// <summary>True for functions whose derivative is zero everywhere it exists: their result carries no gradient.</summary>
    public static bool IsZeroGradient(string function) => s_zeroGradient.Contains(function);

    /// <summary>
    /// True when the derivative is a function of the result alone, so keeping the result saves a call: every
    /// function that uses its result but <c>Pow</c>, whose derivative in the base needs another power.
    /// </summary>
    public static bool DerivativeIsResult(string function) => UsesResult(function) && function != "Pow";

    /// <summary>True when the pullback uses the call's own result (so the caller should compute it once).</summary>
    public static bool UsesResult(string function) => function is "Exp" or "Sqrt" or "Cbrt" or "Tan" or "Tanh" or "Pow";

    /// <summary>
    /// The adjoint contributions of <c>r = cls.fn(args)</c> for the incoming adjoint <paramref name="g"/>.
    /// <paramref name="args"/> are the argument values, <paramref name="r"/> the result's value, and
    /// <paramref name="wanted"/> says which arguments need a contribution.
    /// </summary>
    public static IEnumerable<(int Argument, Expr Adjoint)> Pullback(
        string cls, string fn, IReadOnlyList<Expr> args, Func<Expr> r, Expr g, Func<int, bool> wanted, TypeRef t)
    {
        Expr L(double v) => Lit(v, t);
        Expr F(string name, params Expr[] a) => Exprs.Math(cls, name, t, a);
        Expr x = args[0];
        switch (fn)
        {
            case "Exp": // d/dx e^x = e^x
                yield return (0, Mul(g, r()));
                break;
            case "Log": // 1/x
                yield return (0, Div(g, x));
                break;
            case "Log10": // 1/(x ln 10)
                yield return (0, Div(g, Mul(x, L(System.Math.Log(10)))));
                break;
            case "Log2": // 1/(x ln 2)
                yield return (0, Div(g, Mul(x, L(System.Math.Log(2)))));
                break;
            case "Sqrt": // 1/(2 sqrt x)
                yield return (0, Div(g, Mul(L(2), r())));
                break;
            case "Cbrt": // 1/(3 cbrt(x)^2)
            {
                Expr c = r();
                yield return (0, Div(g, Mul(L(3), Mul(c, c))));
                break;
            }
            case "Pow": // d/da a^b = b a^(b-1);  d/db a^b = a^b ln a (taken as 0 at a = 0, as PyTorch does)
            {
                Expr b = args[1];
                if (wanted(0))
                {
                    // b = 0 gives 0 (PyTorch masks it too): written as b·a^(b-1) it is 0·∞ = NaN at a = 0.
                    Expr da = IsLiteral(b, 2) ? Mul(L(2), x)
                        : IsLiteral(b, 1) ? L(1)
                        : IsLiteral(b, 0) ? L(0)
                        : b is LiteralExpr ? Mul(b, F("Pow", x, Sub(b, L(1))))
                        : Cond(Compare(BinaryOp.Equal, b, L(0)), L(0), Mul(b, F("Pow", x, Sub(b, L(1)))));
                    yield return (0, Mul(g, da));
                }
                if (wanted(1))
                {
                    yield return (1, Cond(Compare(BinaryOp.Equal, x, L(0)), L(0), Mul(g, Mul(r(), F("Log", x)))));
                }
                break;
            }
            case "Sin":
                yield return (0, Mul(g, F("Cos", x)));
                break;
            case "Cos":
                yield return (0, Neg(Mul(g, F("Sin", x))));
                break;
            case "Tan": // 1 + tan^2
            {
                Expr tr = r();
                yield return (0, Mul(g, Add(L(1), Mul(tr, tr))));
                break;
            }
            case "Asin": // 1/sqrt(1 - x^2)
                yield return (0, Div(g, F("Sqrt", Sub(L(1), Mul(x, x)))));
                break;
            case "Acos": // -1/sqrt(1 - x^2)
                yield return (0, Neg(Div(g, F("Sqrt", Sub(L(1), Mul(x, x))))));
                break;
            case "Atan": // 1/(1 + x^2)
                yield return (0, Div(g, Add(L(1), Mul(x, x))));
                break;
            case "Atan2": // atan2(y, x): dy = x/(x²+y²), dx = -y/(x²+y²)
            {
                // In the runtime, scaled by max(|x|, |y|): written out, x² + y² overflows or underflows where the
                // derivatives are ordinary numbers (1e-23 gave ±∞ in float, 1e20 gave 0).
                // Cast to the call's type, so Math.Atan2 of two floats takes the double overload, as it computed.
                Expr y = Cast(args[0], t), xx = Cast(args[1], t);
                if (wanted(0)) yield return (0, Mul(g, Static("global::AutoGrad.Internal.Atan2Derivative.ByY", t, y, xx)));
                if (wanted(1)) yield return (1, Mul(g, Static("global::AutoGrad.Internal.Atan2Derivative.ByX", t, y, xx)));
                break;
            }
            case "Sinh":
                yield return (0, Mul(g, F("Cosh", x)));
                break;
            case "Cosh":
                yield return (0, Mul(g, F("Sinh", x)));
                break;
            case "Tanh": // 1 - tanh^2
            {
                Expr tr = r();
                yield return (0, Mul(g, Sub(L(1), Mul(tr, tr))));
                break;
            }
            case "Asinh": // 1/sqrt(x^2 + 1)
            {
                // Past 1/sqrt(epsilon), x^2 + 1 rounds to x^2, so 1/|x| is the same value, and it stays right where
                // x^2 overflows (|x| > 1.3e154 in double, 1.8e19 in float), where the square root gave a gradient of 0.
                Expr large = L(t.Element == ScalarKind.Float ? 1e5 : 1e9);
                Expr magnitude = F("Abs", x);
                yield return (0, Cond(Compare(BinaryOp.Greater, magnitude, large), Div(g, magnitude),
                    Div(g, F("Sqrt", Add(Mul(x, x), L(1))))));
                break;
            }
            case "Acosh": // 1/sqrt(x^2 - 1), as sqrt(x - 1) sqrt(x + 1): digits kept near x = 1, no overflow for large x
                yield return (0, Div(g, Mul(F("Sqrt", Sub(x, L(1))), F("Sqrt", Add(x, L(1))))));
                break;
            case "Atanh": // 1/(1 - x^2), as (1 - x)(1 + x)
                yield return (0, Div(g, Mul(Sub(L(1), x), Add(L(1), x))));
                break;
            case "Abs": // sign(x), 0 at 0 like PyTorch
                yield return (0, Cond(Compare(BinaryOp.Greater, x, L(0)), g,
                    Cond(Compare(BinaryOp.Less, x, L(0)), Neg(g), L(0))));
                break;
            case "Max": // the larger argument takes the gradient; ties go to the first
                if (wanted(0)) yield return (0, Cond(Compare(BinaryOp.GreaterOrEqual, args[0], args[1]), g, L(0)));
                if (wanted(1)) yield return (1, Cond(Compare(BinaryOp.GreaterOrEqual, args[0], args[1]), L(0), g));
                break;
            case "Min": // the smaller argument takes the gradient; ties go to the first
                if (wanted(0)) yield return (0, Cond(Compare(BinaryOp.LessOrEqual, args[0], args[1]), g, L(0)));
                if (wanted(1)) yield return (1, Cond(Compare(BinaryOp.LessOrEqual, args[0], args[1]), L(0), g));
                break;
            case "Clamp": // x inside [lo, hi] passes the gradient; otherwise the active bound takes it
            {
                Expr lo = args[1], hi = args[2];
                if (wanted(0)) yield return (0, Cond(And(Compare(BinaryOp.GreaterOrEqual, x, lo), Compare(BinaryOp.LessOrEqual, x, hi)), g, L(0)));
                if (wanted(1)) yield return (1, Cond(Compare(BinaryOp.Less, x, lo), g, L(0)));
                if (wanted(2)) yield return (2, Cond(And(Compare(BinaryOp.Greater, x, hi), Compare(BinaryOp.GreaterOrEqual, x, lo)), g, L(0)));
                break;
            }
            case "FusedMultiplyAdd": // a*b + c
                if (wanted(0)) yield return (0, Mul(g, args[1]));
                if (wanted(1)) yield return (1, Mul(args[0], g));
                if (wanted(2)) yield return (2, g);
                break;
        }
    }
}
