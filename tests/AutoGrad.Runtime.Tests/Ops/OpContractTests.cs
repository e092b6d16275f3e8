using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using Xunit;

namespace AutoGrad.Runtime.Tests.Ops;

/// <summary>
/// The generator finds an op's forward-into and pullback by name and calls them with a fixed argument order
/// (docs/contracts.md). This checks every attributed method of <see cref="Nn"/> against that order, so an op that
/// drifts fails here rather than in generated code.
/// </summary>
public class OpContractTests
{
    private static IEnumerable<string> OpNames() =>
        typeof(Nn).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.GetCustomAttribute<CustomPullbackAttribute>() is not null)
            .Select(m => m.Name);

    /// <summary>One entry per attributed method, by its pullback's name (an overload such as BatchNorm's with running
    /// statistics registers a pullback of its own).</summary>
    public static TheoryData<string> Ops() => new(
        typeof(Nn).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Select(m => m.GetCustomAttribute<CustomPullbackAttribute>()?.PullbackMethod)
            .OfType<string>());

    [Fact]
    public void EveryRequiredOpExists()
    {
        string[] required =
        {
            "Linear", "MatMul", "Add", "Sub", "Mul", "Scale", "Sum", "Mean", "Reshape", "Flatten", "Concat", "Slice",
            "Sigmoid", "Tanh", "Relu", "LeakyRelu", "Elu", "Selu", "Gelu", "Softplus", "Silu", "Softmax", "LogSoftmax",
            "Mse", "SoftmaxCrossEntropy", "BinaryCrossEntropyWithLogits", "LayerNorm", "BatchNorm", "Dropout",
            "RnnCell", "LstmCell", "LstmHidden", "GruCell",
        };
        var present = OpNames().ToHashSet();
        Assert.Equal(Array.Empty<string>(), required.Where(name => !present.Contains(name)).ToArray());
    }

    [Theory]
    [MemberData(nameof(Ops))]
    public void IntoAndPullbackFollowTheContract(string pullbackName)
    {
        MethodInfo op = typeof(Nn).GetMethods().Single(m => m.GetCustomAttribute<CustomPullbackAttribute>()?.PullbackMethod == pullbackName);
        var attribute = op.GetCustomAttribute<CustomPullbackAttribute>()!;
        string name = op.Name;
        // XPullback and XInto, or for an overload XVariantPullback and XVariantInto.
        Assert.StartsWith(name, pullbackName, StringComparison.Ordinal);
        Assert.EndsWith("Pullback", pullbackName, StringComparison.Ordinal);
        Assert.Equal(pullbackName[..^"Pullback".Length] + "Into", attribute.ForwardInto);

        // The inputs, then the caller's file and line, then each input's argument as written, in order.
        ParameterInfo[] all = op.GetParameters();
        int file = Array.FindIndex(all, p => p.GetCustomAttribute<CallerFilePathAttribute>() is not null);
        Assert.True(file >= 1, $"{name} has no [CallerFilePath]");
        ParameterInfo[] inputs = all[..file];
        Assert.NotNull(all[file + 1].GetCustomAttribute<CallerLineNumberAttribute>());
        Assert.Equal(inputs.Length, all.Length - file - 2);
        for (int i = 0; i < inputs.Length; i++)
        {
            Assert.Equal(inputs[i].Name, all[file + 2 + i].GetCustomAttribute<CallerArgumentExpressionAttribute>()?.ParameterName);
        }
        bool returnsTensor = op.ReturnType == typeof(Tensor);
        Assert.True(returnsTensor || op.ReturnType == typeof(float), $"{name} returns {op.ReturnType}");

        // The Into the generator calls everywhere is the shortest overload; a longer one may keep feature-major copies.
        MethodInfo[] intos = typeof(Nn).GetMethods().Where(m => m.Name == attribute.ForwardInto).OrderBy(m => m.GetParameters().Length).ToArray();
        MethodInfo into = intos[0];
        var intoTypes = into.GetParameters().Select(p => p.ParameterType).ToList();
        foreach (MethodInfo chained in intos.Skip(1))
        {
            // (ref Tensor? result, ref Tensor? resultTransposed, x, Tensor? xTransposed, …the rest as the shortest).
            var chainedTypes = chained.GetParameters().Select(p => p.ParameterType).ToList();
            Assert.True(returnsTensor, $"{chained.Name}: only tensor ops keep feature-major copies");
            Assert.Equal(intoTypes.Count + 2, chainedTypes.Count);
            Assert.Equal(typeof(Tensor).MakeByRefType(), chainedTypes[1]);
            Assert.Equal(typeof(Tensor), chainedTypes[3]);
            Assert.Equal(intoTypes[0], chainedTypes[0]);
            Assert.Equal(intoTypes[1], chainedTypes[2]);
            Assert.Equal(intoTypes.Skip(2), chainedTypes.Skip(4));
        }
        Type? state = null;
        int at = 0;
        if (returnsTensor)
        {
            Assert.Equal(typeof(Tensor).MakeByRefType(), intoTypes[at++]);
            Assert.Equal(typeof(void), into.ReturnType);
        }
        else
        {
            Assert.Equal(typeof(float), into.ReturnType);
        }
        if (intoTypes[at].IsByRef && intoTypes[at].GetElementType()!.Name.EndsWith("State", StringComparison.Ordinal))
        {
            state = intoTypes[at++].GetElementType();
        }
        Assert.Equal(inputs.Select(p => p.ParameterType), intoTypes.Skip(at).Take(inputs.Length));
        // An activation that counts its own saturated or dead units takes the probe reading last, optionally.
        int readings = intoTypes[^1] == typeof(AutoGrad.Probes.ActivationReading) ? 1 : 0;
        if (readings == 1)
        {
            Assert.True(into.GetParameters()[^1].IsOptional, $"{into.Name}'s ActivationReading must be optional");
        }
        Assert.Equal(typeof(OpSite), intoTypes[^(1 + readings)]);
        Assert.Equal(at + inputs.Length + 1 + readings, intoTypes.Count);

        var expected = new List<Type>(inputs.Select(p => p.ParameterType)) { op.ReturnType };
        if (state is not null)
        {
            expected.Add(state);
        }
        expected.Add(op.ReturnType);
        foreach (ParameterInfo p in inputs)
        {
            bool noGrad = p.GetCustomAttribute<NoGradAttribute>() is not null;
            if (p.ParameterType == typeof(Tensor) && !noGrad)
            {
                expected.Add(typeof(GradTarget));
            }
            else if (p.ParameterType == typeof(float) && !noGrad)
            {
                expected.Add(typeof(float).MakeByRefType());
            }
            else
            {
                Assert.True(p.ParameterType != typeof(float) || noGrad, $"{name}.{p.Name} is a float without [NoGrad]");
            }
        }
        expected.Add(typeof(OpSite));
        MethodInfo pullback = typeof(Nn).GetMethod(attribute.PullbackMethod)!;
        // A pullback that reads the gradients it writes ends with one optional GradientReading per gradient, optionally
        // preceded by one named dResultReading for the adjoint it consumes.
        ParameterInfo[] pullbackParameters = pullback.GetParameters();
        int gradients = expected.Count(t => t == typeof(GradTarget) || t == typeof(float).MakeByRefType());
        if (pullbackParameters[^1].ParameterType == typeof(AutoGrad.Probes.GradientReading))
        {
            int readingCount = pullbackParameters.Reverse().TakeWhile(p => p.ParameterType == typeof(AutoGrad.Probes.GradientReading)).Count();
            Assert.True(readingCount == gradients || readingCount == gradients + 1, $"{pullback.Name} has {readingCount} readings for {gradients} gradients");
            ParameterInfo[] gradientReadings = pullbackParameters[^readingCount..];
            Assert.All(gradientReadings, r => Assert.True(r.IsOptional, $"{pullback.Name}.{r.Name}"));
            if (readingCount == gradients + 1)
            {
                Assert.Equal("dResultReading", gradientReadings[0].Name);
            }
            pullbackParameters = pullbackParameters[..^readingCount];
        }
        Assert.Equal(expected, pullbackParameters.Select(p => p.ParameterType));
        Assert.Equal(typeof(void), pullback.ReturnType);
    }
}
