using AutoGrad.Generator.Common;

namespace AutoGrad.Generator.Model;

/// <summary>Where a statement came from: its 1-based line and its text, for comments in generated code.</summary>
internal sealed record SourceInfo(int Line, string Text, LocationInfo? Location)
{
    public static readonly SourceInfo Generated = new(0, string.Empty, null);
}

/// <summary>A statement of a differentiable method body.</summary>
internal abstract record Stmt(SourceInfo Source);

/// <summary>
/// <c>target = value</c>, where target is a variable or an element. Declarations with an initializer are
/// assignments with <see cref="IsDeclaration"/> set (locals are hoisted). Compound assignments and ++/-- are
/// desugared into this form by the parser.
/// </summary>
internal sealed record AssignStmt(Expr Target, Expr Value, bool IsDeclaration, SourceInfo Source) : Stmt(Source);

internal sealed record IfStmt(Expr Condition, EquatableArray<Stmt> Then, EquatableArray<Stmt> Else, SourceInfo Source) : Stmt(Source);

internal enum LoopKind
{
    For,
    While,
    Do,
}

/// <summary>
/// A loop: <c>for (Init; Condition; Step) Body</c>, <c>while (Condition) Body</c> or <c>do Body while (Condition)</c>.
/// A missing condition is <c>true</c>.
/// </summary>
internal sealed record LoopStmt(
    LoopKind Kind,
    EquatableArray<Stmt> Init,
    Expr? Condition,
    EquatableArray<Stmt> Step,
    EquatableArray<Stmt> Body,
    SourceInfo Source) : Stmt(Source);

internal sealed record BreakStmt(SourceInfo Source) : Stmt(Source);

internal sealed record ContinueStmt(SourceInfo Source) : Stmt(Source);

internal sealed record ReturnStmt(Expr Value, SourceInfo Source) : Stmt(Source);
