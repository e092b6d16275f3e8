using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using AutoGrad.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace AutoGrad.Generator.Tests;

/// <summary>
/// Randomly generated programs (expressions, locals, branches, taped and joint loops, local arrays) compiled with the generator,
/// loaded, and checked against finite differences. Seeds are fixed, so failures reproduce.
/// </summary>
public class RandomProgramTests
{
    private sealed class ProgramWriter
    {
        private readonly Random _rng;
        private readonly StringBuilder _body = new();
        private readonly System.Collections.Generic.List<string> _sums = new();
        private int _locals;

        public ProgramWriter(int seed) => _rng = new Random(seed);

        private string Var(string[] scope) => scope[_rng.Next(scope.Length)];

        /// <summary>An expression whose value and derivatives stay finite for inputs in [-1.5, 1.5].</summary>
        private string Expr(string[] scope, int depth)
        {
            if (depth <= 0 || _rng.NextDouble() < 0.25)
            {
                return _rng.NextDouble() < 0.8 ? Var(scope) : "(" + (_rng.NextDouble() * 2 - 1).ToString("0.###", CultureInfo.InvariantCulture) + ")";
            }
            string a = Expr(scope, depth - 1), b = Expr(scope, depth - 1);
            return _rng.Next(14) switch
            {
                0 or 1 => $"({a} + {b})",
                2 => $"({a} - {b})",
                3 or 4 => $"({a} * {b})",
                5 => $"({a} / (1.5 + Math.Tanh({b})))",
                6 => $"Math.Sin({a})",
                7 => $"Math.Exp(Math.Tanh({a}))",
                8 => $"Math.Log(1 + {a} * {a})",
                9 => $"Math.Sqrt(1 + {a} * {a})",
                10 => $"Math.Pow(1.5 + Math.Tanh({a}), 1.7)",
                11 => $"Math.Atan2({a}, 2 + {b} * {b})",
                12 when a != b => $"({a} > {b} ? {a} * {b} : {a} - {b})",
                12 => $"({a} * 0.5)",
                _ => $"(-{a})",
            };
        }

        public string Method(string name)
        {
            string[] scope = { "x", "y", "z" };
            _body.Clear();
            _sums.Clear();
            int statements = 2 + _rng.Next(5);
            for (int i = 0; i < statements; i++)
            {
                switch (_rng.Next(6))
                {
                    case 4:
                    {
                        // A sum of per-iteration terms with iteration-private locals: a joint loop when what follows
                        // uses the sum linearly and leaves what the loop reads alone.
                        string sum = "s" + i, k = "k" + i, u = "u" + i;
                        string[] inner = scope.Append($"(0.1 * {k})").ToArray();
                        _body.AppendLine($"        double {sum} = 0;");
                        string term = $"double {u} = {Expr(inner, 2)}; {sum} += {u} * {u} + {Expr(inner, 1)};";
                        switch (_rng.Next(3))
                        {
                            case 0:
                                _body.AppendLine($"        for (int {k} = 0; {k} < n; {k}++) {{ {term} }}");
                                break;
                            case 1: // the counter stepped at the end of the body
                                _body.AppendLine($"        int {k} = 0;");
                                _body.AppendLine($"        while ({k} < n) {{ {term} {k}++; }}");
                                break;
                            default: // a break leaves the step guarded in the body
                                _body.AppendLine($"        for (int {k} = 0; {k} < n; {k}++) {{ if ({k} == 4) break; {term} }}");
                                break;
                        }
                        _sums.Add((_rng.NextDouble() < 0.5 ? "0.3 * " : "-") + sum);
                        break;
                    }
                    case 0:
                    {
                        string local = "t" + _locals++;
                        // A constant initializer of a local nothing reads would be the user's own CS0219.
                        string init = Expr(scope, 3);
                        _body.AppendLine($"        double {local} = {(init.StartsWith("(", StringComparison.Ordinal) && !init.Any(char.IsLetter) ? "x * " + init : init)};");
                        scope = scope.Append(local).ToArray();
                        break;
                    }
                    case 1:
                    {
                        string target = Var(scope), value = Expr(scope, 2);
                        _body.AppendLine($"        {target} = {(value == target ? "0.5 * " + value : value)};");
                        break;
                    }
                    case 2:
                    {
                        string left = Expr(scope, 1), right = Expr(scope, 1);
                        if (left == right) right = "0.25";
                        _body.AppendLine($"        if ({left} > {right}) {{ {Var(scope)} += {Expr(scope, 2)}; }} else {{ {Var(scope)} *= Math.Tanh({Expr(scope, 1)}); }}");
                        break;
                    }
                    case 3:
                    {
                        string v = Var(scope);
                        _body.AppendLine($"        for (int i{i} = 0; i{i} < n; i{i}++) {{ {v} = 0.5 * {v} + 0.3 * Math.Sin({Expr(scope, 2)}); if (i{i} == 3) break; }}");
                        break;
                    }
                    default:
                    {
                        string v = Var(scope);
                        _body.AppendLine($"        for (int j{i} = 0; j{i} < n; j{i}++) {{ buffer[j{i} % 3] += {Expr(scope, 2)} * (j{i} + 1); {v} = Math.Tanh({v} + buffer[(j{i} + 1) % 3]); }}");
                        break;
                    }
                }
            }
            return $$"""
                [Differentiable]
                public static double {{name}}(double x, double y, double z, int n)
                {
                    var buffer = new double[3];
            {{_body}}
                    return {{Expr(scope, 3)}} + buffer[0] * buffer[1] - buffer[2]{{string.Concat(_sums.Select(t => " + " + t))}};
                }

            """;
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void RandomProgramsHaveCorrectGradients(int batch)
    {
        const int count = 12;
        var writer = new ProgramWriter(batch * 1000);
        var source = new StringBuilder("using System;\nusing AutoGrad;\npublic static partial class Random" + batch + "\n{\n");
        for (int i = 0; i < count; i++) source.Append(writer.Method("F" + i));
        source.Append("}\n");

        GeneratorRunner.Result result = GeneratorRunner.Run(source.ToString());
        Assert.True(result.GeneratorDiagnostics.IsEmpty, GeneratorRunner.Describe(result.GeneratorDiagnostics) + "\n" + source);
        Assert.True(result.CompilationDiagnostics.IsEmpty, GeneratorRunner.Describe(result.CompilationDiagnostics));

        // The batch must exercise both loop reversals: joint loops (sums used linearly) and taped ones.
        Assert.Contains(result.Sources, g => g.Text.Contains("each iteration's reverse sweep runs right after it", StringComparison.Ordinal));
        Assert.Contains(result.Sources, g => g.Text.Contains("_iteration", StringComparison.Ordinal));

        using var stream = new MemoryStream();
        Microsoft.CodeAnalysis.Emit.EmitResult emitted = result.Output.Emit(stream);
        Assert.True(emitted.Success, GeneratorRunner.Describe(emitted.Diagnostics));
        var context = new AssemblyLoadContext("random" + batch, isCollectible: true);
        try
        {
            stream.Position = 0;
            Type type = context.LoadFromStream(stream).GetType("Random" + batch)!;
            var rng = new Random(batch);
            for (int i = 0; i < count; i++)
            {
                MethodInfo primal = type.GetMethod("F" + i)!;
                MethodInfo gradient = type.GetMethods().Single(m => m.Name == "F" + i + "Gradient" && m.GetParameters().Length == 7);
                double[] at = { rng.NextDouble() * 2 - 1, rng.NextDouble() * 2 - 1, rng.NextDouble() * 2 - 1 };
                int n = 1 + rng.Next(6);
                double F(double[] p) => (double)primal.Invoke(null, new object[] { p[0], p[1], p[2], n })!;
                object[] args = { at[0], at[1], at[2], n, 0.0, 0.0, 0.0 };
                double value = (double)gradient.Invoke(null, args)!;
                Assert.Equal(F(at), value, 10);
                for (int k = 0; k < 3; k++)
                {
                    double[] plus = (double[])at.Clone(), minus = (double[])at.Clone();
                    plus[k] += 1e-6;
                    minus[k] -= 1e-6;
                    double numeric = (F(plus) - F(minus)) / 2e-6;
                    double generated = (double)args[4 + k];
                    // Programs with branches are only piecewise smooth: skip points within a step of a kink.
                    double h2 = (F((double[])Shift(at, k, 2e-6)) - F(at)) / 2e-6;
                    if (Math.Abs(h2 - numeric) > 1e-3 * Math.Max(1, Math.Abs(numeric))) continue;
                    Assert.True(Math.Abs(generated - numeric) <= 1e-5 * Math.Max(1, Math.Abs(numeric)),
                        $"F{i} ∂/∂{"xyz"[k]} at ({string.Join(", ", at)}), n = {n}: generated {generated:R}, finite difference {numeric:R}\n" +
                        string.Join("\n", source.ToString().Split('\n').SkipWhile(l => !l.Contains($" F{i}(", StringComparison.Ordinal)).Take(20)));
                }
            }
        }
        finally
        {
            context.Unload();
        }
    }

    private static double[] Shift(double[] at, int k, double by)
    {
        double[] copy = (double[])at.Clone();
        copy[k] += by;
        return copy;
    }
}
