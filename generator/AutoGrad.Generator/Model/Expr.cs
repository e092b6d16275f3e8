using System.Linq;
using AutoGrad.Generator.Common;

namespace AutoGrad.Generator.Model;

/// <summary>
/// An expression of a differentiable method body, after name resolution and constant folding. No Roslyn types:
/// models compare structurally so the incremental pipeline can cache them.
/// </summary>
internal abstract record Expr(TypeRef Type);

/// <summary>A constant, already spelled as a C# literal of <see cref="Expr.Type"/> in invariant culture.</summary>
internal sealed record LiteralExpr(string Code, TypeRef Type) : Expr(Type);

/// <summary>A parameter or local (locals carry their unique, hoisted name).</summary>
internal sealed record VariableExpr(string Name, TypeRef Type) : Expr(Type);

/// <summary><c>array[index]</c> on an array or span variable.</summary>
internal sealed record ElementExpr(VariableExpr Buffer, Expr Index, TypeRef Type) : Expr(Type);

/// <summary><c>buffer.Length</c>.</summary>
internal sealed record LengthExpr(VariableExpr Buffer) : Expr(TypeRef.Int);

internal enum UnaryOp
{
    Negate,
    Plus,
    Not,
    BitwiseNot,
}

internal sealed record UnaryExpr(UnaryOp Op, Expr Operand, TypeRef Type) : Expr(Type);

internal enum BinaryOp
{
    Add,
    Subtract,
    Multiply,
    Divide,
    Modulo,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Equal,
    NotEqual,
    And,
    Or,
    BitwiseAnd,
    BitwiseOr,
    BitwiseXor,
    ShiftLeft,
    ShiftRight,
    UnsignedShiftRight,
}

internal sealed record BinaryExpr(BinaryOp Op, Expr Left, Expr Right, TypeRef Type) : Expr(Type);

internal sealed record ConditionalExpr(Expr Condition, Expr WhenTrue, Expr WhenFalse, TypeRef Type) : Expr(Type);

/// <summary>An explicit or implicit numeric conversion.</summary>
internal sealed record CastExpr(Expr Operand, TypeRef Type) : Expr(Type);

/// <summary>A call to <c>System.Math</c> or <c>System.MathF</c>; derivatives live in MathDerivatives.</summary>
internal sealed record MathCallExpr(string Class, string Function, EquatableArray<Expr> Arguments, TypeRef Type) : Expr(Type);

/// <summary>A call to a method with a pullback: another [Differentiable] method or one with [CustomPullback].</summary>
/// <remarks><see cref="ArgumentText"/> holds the arguments as written, for error messages of tensor ops.</remarks>
internal sealed record PrimitiveCallExpr(CalleeSpec Callee, EquatableArray<Expr> Arguments, TypeRef Type, int Line, EquatableArray<string> ArgumentText)
    : Expr(Type)
{
    /// <summary>The op as the user wrote it: the callee, or for a fused call the ops it replaced (<c>Relu(Linear)</c>).</summary>
    public string? WrittenAs { get; init; }

    /// <summary>The name error messages use: the op whose arguments the user wrote (the inner op of a fusion).</summary>
    public string? SiteName { get; init; }

    /// <summary>Where the call is written, for diagnostics about its arguments.</summary>
    public LocationInfo? Location { get; init; }

    /// <summary>Tensor ops go through the workspace: they take or return tensors, or write into a reusable output.</summary>
    public bool IsTensorOp => Callee.ForwardInto is not null || Type.IsTensorLike || Callee.Parameters.Any(p => p.Type.IsTensorLike);
}

/// <summary>
/// A call the generator does not differentiate, emitted verbatim: allowed only while no argument is active
/// (<c>xs.AsSpan(start, len)</c>, <c>int</c> helpers, ...). <see cref="Method"/> is the fully qualified static
/// target, or the member name when <see cref="Receiver"/> is set.
/// </summary>
internal sealed record OpaqueCallExpr(string Method, Expr? Receiver, EquatableArray<Expr> Arguments, TypeRef Type, LocationInfo? Location)
    : Expr(Type)
{
    /// <summary>Per argument, whether the callee takes it as a <c>ReadOnlySpan</c>, so cannot write to it (empty: unknown).</summary>
    public EquatableArray<bool> ReadOnlyArguments { get; init; }
}

/// <summary>An instance field or property of an inactive value, e.g. <c>tensor.Span</c>; emitted verbatim.</summary>
internal sealed record OpaqueMemberExpr(Expr Receiver, string Member, TypeRef Type) : Expr(Type);

/// <summary>A read of a static field or property, emitted verbatim (never differentiated).</summary>
internal sealed record OpaqueValueExpr(string Code, TypeRef Type) : Expr(Type);

/// <summary>
/// A view of part of a buffer: <c>a.AsSpan(start, length)</c> or <c>s.Slice(start, length)</c>. Its adjoint is
/// the same view of the buffer's adjoint.
/// </summary>
internal sealed record SliceExpr(VariableExpr Buffer, Expr Start, Expr? Length, TypeRef Type) : Expr(Type);

internal enum AllocationKind
{
    NewArray,
    StackAlloc,
}

/// <summary><c>new T[n]</c> or <c>stackalloc T[n]</c>; only as a local's initializer at the method's top level.</summary>
internal sealed record AllocationExpr(AllocationKind Kind, Expr Size, TypeRef Type) : Expr(Type);

/// <summary>
/// A list of integers, <c>[rows, 12]</c>, passed to a span parameter (an op's shape): emitted as a collection
/// expression, which the compiler places on the stack, so a call in a loop allocates nothing. Never differentiated.
/// </summary>
internal sealed record IntListExpr(EquatableArray<Expr> Elements, TypeRef Type) : Expr(Type);

/// <summary><c>ref target</c>, used only for gradient arguments of pullback calls in generated code.</summary>
internal sealed record RefExpr(Expr Target) : Expr(Target.Type);

/// <summary><c>tensor.Span</c>: the elements of a tensor variable, read by scalar code. Its adjoint is the span of the
/// tensor's adjoint buffer.</summary>
internal sealed record TensorDataExpr(VariableExpr Tensor, TypeRef Type) : Expr(Type);
