using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using AutoGrad.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace AutoGrad.Generator.Tests;

/// <summary>The incremental pipeline caches: edits outside differentiable methods do not re-run the generator's work.</summary>
public class IncrementalTests
{
    private const string Source = """
        using System;
        using AutoGrad;

        public static partial class Model
        {
            [Differentiable]
            public static double Loss(double a, ReadOnlySpan<double> w, int n)
            {
                double s = 0;
                for (int i = 0; i < n; i++) s += Math.Sin(w[i] * a);
                return s;
            }
        }
        """;

    private static GeneratorDriver CreateDriver() =>
        CSharpGeneratorDriver.Create(
            new[] { new DifferentiableGenerator().AsSourceGenerator() },
            parseOptions: GeneratorRunner.ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    [Fact]
    public void EditOutsideDifferentiableMethodsLeavesOutputsCached()
    {
        CSharpCompilation first = GeneratorRunner.Compile(Source);
        GeneratorDriver driver = CreateDriver().RunGenerators(first);

        CSharpCompilation second = first.AddSyntaxTrees(CSharpSyntaxTree.ParseText(
            "public static class Unrelated { public static int Answer() => 42; }", GeneratorRunner.ParseOptions));
        driver = driver.RunGenerators(second);

        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        var parseSteps = result.TrackedSteps[DifferentiableGenerator.TrackingNames.Parse];
        Assert.NotEmpty(parseSteps);
        Assert.All(parseSteps.SelectMany(s => s.Outputs), o =>
            Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, o.Reason.ToString()));
        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o =>
            Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, o.Reason.ToString()));
    }

    [Fact]
    public void EditInsideTheMethodRegenerates()
    {
        CSharpCompilation first = GeneratorRunner.Compile(Source);
        GeneratorDriver driver = CreateDriver().RunGenerators(first);
        SyntaxTree old = first.SyntaxTrees.Single();
        SyntaxTree edited = old.WithChangedText(old.GetText().Replace(Source.IndexOf("Math.Sin", StringComparison.Ordinal), "Math.Sin".Length, "Math.Cos"));
        driver = driver.RunGenerators(first.ReplaceSyntaxTree(old, edited));
        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        Assert.Contains(result.TrackedSteps[DifferentiableGenerator.TrackingNames.Parse].SelectMany(s => s.Outputs),
            o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("Cos", result.GeneratedSources.Single().SourceText.ToString());
    }

    [Fact]
    public void ParseOutputHoldsNoRoslynObjects()
    {
        GeneratorDriver driver = CreateDriver().RunGenerators(GeneratorRunner.Compile(Source));
        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        foreach (var output in result.TrackedSteps[DifferentiableGenerator.TrackingNames.Parse].SelectMany(s => s.Outputs))
        {
            AssertNoRoslynObjects(output.Value, new HashSet<object>(ReferenceEqualityComparer.Instance), "model");
        }
    }

    [Fact]
    public void ModelTypesDeclareNoRoslynFields()
    {
        var modelTypes = typeof(DifferentiableGenerator).Assembly.GetTypes()
            .Where(t => t.Namespace == "AutoGrad.Generator.Model" || t.Namespace == "AutoGrad.Generator.Differentiation" && t.Name.StartsWith("Code", StringComparison.Ordinal));
        foreach (Type t in modelTypes)
        {
            foreach (FieldInfo f in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            {
                Assert.False(f.FieldType.Namespace?.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal) == true,
                    $"{t.Name}.{f.Name} holds a Roslyn type ({f.FieldType.Name}); models must be equatable plain data");
            }
        }
    }

    private static void AssertNoRoslynObjects(object? value, HashSet<object> seen, string path)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum) return;
        if (!value.GetType().IsValueType && !seen.Add(value)) return;
        Assert.False(value is ISymbol or SyntaxNode or SemanticModel or Compilation or SyntaxTree,
            $"{path} holds {value.GetType().Name}");
        if (value is IEnumerable items)
        {
            int i = 0;
            foreach (object? item in items) AssertNoRoslynObjects(item, seen, $"{path}[{i++}]");
            return;
        }
        foreach (PropertyInfo p in value.GetType().GetProperties(BindingFlags.Instance | BindingFlags.Public))
        {
            if (p.GetIndexParameters().Length > 0 || p.Name == "EqualityContract") continue;
            AssertNoRoslynObjects(p.GetValue(value), seen, path + "." + p.Name);
        }
    }
}
