using System.Linq;
using AutoGrad.Generator.Common;
using AutoGrad.Generator.Differentiation;
using AutoGrad.Generator.Model;
using static AutoGrad.Generator.Emission.ExpressionPrinter;

namespace AutoGrad.Generator.Emission;

/// <summary>
/// Writes a tensor method's gradient: one overload without probes, one with, and the per-thread workspace class
/// that holds every op's output slot, saved state and adjoint, so a step allocates nothing after the first call.
/// </summary>
internal static class TensorMethodWriter
{
    public static void Write(SourceWriter w, AdjointMethod adjoint)
    {
        MethodSpec m = adjoint.Method;
        string parameters = Emitter.ParameterList(m);
        string outputs = string.Join(", ", Emitter.GradientOutputs(m));
        string all = string.Join(", ", new[] { parameters, outputs }.Where(s => s.Length > 0));
        string forward = string.Join(", ", m.Parameters.Select(p => Identifier(p.Name))
            .Concat(Emitter.Differentiable(m).Select(p => p.Type.IsRealScalar ? "out " + p.GradientName : p.GradientName!)));

        w.WriteLine("/// <summary>");
        w.WriteLine("/// " + Emitter.GradientSummary(m));
        w.WriteLine("/// Gradient tensors must have their parameter's shape and are overwritten. After the first call for given");
        w.WriteLine("/// shapes, a call allocates nothing: outputs, saved activations and adjoints live in a per-thread workspace.");
        w.WriteLine("/// </summary>");
        Emitter.WriteMemberAttributes(w, m);
        w.WriteLine($"{m.Accessibility} static {m.ReturnType.Display} {m.Name}Gradient({all}) =>");
        w.Indent++;
        w.WriteLine($"{m.Name}Gradient({forward}, null);");
        w.Indent--;
        w.WriteLine();

        w.WriteLine("/// <summary>");
        w.WriteLine("/// " + Emitter.GradientSummary(m));
        w.WriteLine($"/// With <paramref name=\"probes\"/> set, also records gradient-health readings for <see cref=\"{m.Name}ProbeLayout\"/>;");
        w.WriteLine("/// with it null the backward pass does no probe work.");
        w.WriteLine("/// </summary>");
        Emitter.WriteMemberAttributes(w, m);
        w.WriteLine($"{m.Accessibility} static {m.ReturnType.Display} {m.Name}Gradient({all}, global::AutoGrad.Probes.GradientProbes? probes)");
        w.OpenBrace();
        // With a fixed layout the tensor checks, which include the gradients' shape checks, come first (shapes before
        // anything else, as without one).
        bool fixedLayout = Emitter.HasFixedTensorLayout(m);
        string workspace = m.Name + "Workspace";
        if (fixedLayout) Emitter.WriteTensorArgumentChecks(w, m, workspace);
        Emitter.WriteArgumentChecks(w, m, tensorShapes: !fixedLayout);
        string file = CSharpLiteral.Quote(System.IO.Path.GetFileName(m.FilePath));
        foreach (TensorArrayCount count in adjoint.TensorArrayCounts)
        {
            w.WriteLine($"global::AutoGrad.Internal.GradientArguments.CheckCount({Identifier(count.Parameter)}, {count.Count}, \"{count.Parameter}\", \"{m.Name}\", {file}, {count.Line});");
        }
        Emitter.WriteProbesCheck(w, m);
        if (!fixedLayout) Emitter.WriteTensorArgumentChecks(w, m, workspace);
        StatementPrinter.Write(w, adjoint.Body);
        w.CloseBrace();
        w.WriteLine();
        WriteWorkspace(w, m, adjoint.Workspace);
    }

    private static void WriteWorkspace(SourceWriter w, MethodSpec m, EquatableArray<WorkspaceField> fields)
    {
        string name = m.Name + "Workspace";
        w.WriteLine($"/// <summary>Reusable buffers of <c>{m.Name}Gradient</c>, one set per thread.</summary>");
        Emitter.WriteMemberAttributes(w, m);
        w.WriteLine($"private sealed class {name}");
        w.OpenBrace();
        w.WriteLine("[global::System.ThreadStatic]");
        w.WriteLine($"private static {name}? s_current;");
        w.WriteLine();
        if (Emitter.Differentiable(m).Any(p => p.Type.IsTensorLike))
        {
            // A field of the workspace instance would save a thread-static lookup, but allocated with the workspace it
            // moved the BenchmarkDotNet 21-layer step from 97 to 116-120 µs (bench/NOTES.md: a layout effect).
            w.WriteLine("[global::System.ThreadStatic]");
            w.WriteLine("private static global::AutoGrad.Internal.GradientAliasing? s_aliasing;");
            w.WriteLine();
            w.WriteLine("/// <summary>This thread's record of the last passing call's tensors: no gradient tensor may share memory with an");
            w.WriteLine("/// argument, and while the tensors are the same the checks need not run again.</summary>");
            w.WriteLine("internal static global::AutoGrad.Internal.GradientAliasing Aliasing => s_aliasing ??= new global::AutoGrad.Internal.GradientAliasing();");
            w.WriteLine();
        }
        foreach (WorkspaceField f in fields.Where(f => f.IsStatic))
        {
            w.WriteLine($"internal static readonly {f.Type} {f.Name} = {f.Initializer};");
        }
        foreach (WorkspaceField f in fields.Where(f => !f.IsStatic))
        {
            w.WriteLine(f.Initializer is null ? $"internal {f.Type} {f.Name};" : $"internal {f.Type} {f.Name} = {f.Initializer};");
        }
        w.WriteLine();
        w.WriteLine("/// <summary>This thread's workspace, ready for a new step.</summary>");
        w.WriteLine($"internal static {name} ForCurrentThread()");
        w.OpenBrace();
        w.WriteLine($"{name} ws = s_current ??= new {name}();");
        foreach (WorkspaceField f in fields.Where(f => !f.IsStatic && (f.Type.StartsWith("global::AutoGrad.Internal.SlotTape<", System.StringComparison.Ordinal) || f.Type.StartsWith("global::AutoGrad.Internal.ValueTape<", System.StringComparison.Ordinal))))
        {
            w.WriteLine($"ws.{f.Name}.Reset();");
        }
        w.WriteLine("return ws;");
        w.CloseBrace();
        w.CloseBrace();
    }
}
