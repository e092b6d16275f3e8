using AutoGrad.Generator.Common;
using AutoGrad.Generator.Model;

namespace AutoGrad.Generator.Differentiation;

/// <summary>
/// The differentiate stage's output: a small C#-shaped statement tree whose leaves are <see cref="Expr"/>s. The
/// emitter only prints it, so everything about what the gradient computes is decided (and testable) here.
/// </summary>
internal abstract record CodeStmt;

/// <summary><c>// text</c></summary>
internal sealed record CodeComment(string Text) : CodeStmt;

/// <summary><c>Type Name = Init;</c></summary>
internal sealed record CodeDeclare(string Type, string Name, Expr? Init) : CodeStmt;

/// <summary><c>Target = Value;</c> or <c>Target += Value;</c></summary>
internal sealed record CodeAssign(Expr Target, Expr Value, bool Accumulate) : CodeStmt;

/// <summary>An expression used as a statement (a call).</summary>
internal sealed record CodeExpression(Expr Expression) : CodeStmt;

internal sealed record CodeIf(Expr Condition, EquatableArray<CodeStmt> Then, EquatableArray<CodeStmt> Else) : CodeStmt;

/// <summary><c>for (Init; Condition; Step) Body</c>; Init and Step are single statements or null.</summary>
internal sealed record CodeFor(CodeStmt? Init, Expr? Condition, CodeStmt? Step, EquatableArray<CodeStmt> Body) : CodeStmt;

internal sealed record CodeWhile(Expr Condition, EquatableArray<CodeStmt> Body) : CodeStmt;

internal sealed record CodeDoWhile(EquatableArray<CodeStmt> Body, Expr Condition) : CodeStmt;

/// <summary><c>Target++;</c> or <c>Target--;</c></summary>
internal sealed record CodeIncrement(Expr Target, bool Decrement) : CodeStmt;

/// <summary>A bare <c>{ ... }</c> scope.</summary>
internal sealed record CodeBlock(EquatableArray<CodeStmt> Body) : CodeStmt;

/// <summary><c>return Value;</c></summary>
internal sealed record CodeReturn(Expr Value) : CodeStmt;

/// <summary><c>try { Body } finally { Finally }</c></summary>
internal sealed record CodeTryFinally(EquatableArray<CodeStmt> Body, EquatableArray<CodeStmt> Finally) : CodeStmt;

/// <summary>A blank line between sections.</summary>
internal sealed record CodeBlank : CodeStmt;

/// <summary>A field of the per-thread workspace class of a tensor method (output slots, adjoints, tapes, sites).</summary>
internal sealed record WorkspaceField(string Type, string Name, string? Initializer, bool IsStatic);

/// <summary>A <c>Tensor[]</c> parameter's least length: the method reads <c>Parameter[Count - 1]</c> on <see cref="Line"/>.</summary>
internal sealed record TensorArrayCount(string Parameter, int Count, int Line);

/// <summary>One probe site, as emitted into the method's constant <c>ProbeLayout</c>.</summary>
internal sealed record ProbeSiteSpec(string Name, string Kind, int Depth, string Activation, int Line, bool InRecurrence, int FanInAxis = 1,
    bool AcrossLayers = false);

/// <summary>
/// The differentiate stage's result for one method. Scalar methods get a pullback (<see cref="Body"/> runs with
/// <c>dResult</c> and accumulates into the gradient arguments). Tensor methods (<see cref="UsesTensors"/>) get a
/// gradient body that uses a per-thread <see cref="Workspace"/> and records <see cref="Probes"/>.
/// <see cref="NonFiniteOrigin"/> is the body of the checked forward copy that names where a NaN started (empty when
/// the method needs none). <see cref="TensorArrayCounts"/> are the lengths its <c>Tensor[]</c> arguments are checked for.
/// </summary>
internal sealed record AdjointMethod(
    MethodSpec Method,
    EquatableArray<CodeStmt> Body,
    bool UsesTensors,
    EquatableArray<WorkspaceField> Workspace,
    EquatableArray<ProbeSiteSpec> Probes,
    EquatableArray<CodeStmt> NonFiniteOrigin,
    EquatableArray<TensorArrayCount> TensorArrayCounts);
