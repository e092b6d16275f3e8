using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using AutoGrad.Generator.Common;
using AutoGrad.Generator.Differentiation;
using AutoGrad.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AutoGrad.Generator.Parsing;

/// <summary>Turns expression syntax into <see cref="Expr"/>: resolves names, folds constants, makes conversions explicit.</summary>
internal sealed class ExpressionParser
{
    private readonly ParseContext _ctx;

    public ExpressionParser(ParseContext ctx) => _ctx = ctx;

    private SemanticModel Model => _ctx.Model;

    /// <summary>
    /// How deep expressions may nest. Every stage walks expressions recursively; a sum of 5,000 terms in one expression
    /// overflowed the compiler's stack (a crash, with no diagnostic), and 3,000 went through every stage.
    /// </summary>
    private const int MaxDepth = 1000;

    private int _depth;
    private bool _reportedTooDeep;

    /// <summary>Parses an expression, including the implicit conversion the compiler applies to it.</summary>
    public Expr Parse(ExpressionSyntax syntax)
    {
        if (_depth >= MaxDepth)
        {
            if (!_reportedTooDeep)
            {
                _reportedTooDeep = true;
                // Named by the whole expression, which is what has to be split (the node at the limit is some leaf).
                ExpressionSyntax whole = syntax.AncestorsAndSelf().OfType<ExpressionSyntax>().Last();
                string text = SourceText.OneLine(whole.ToString());
                _ctx.Report(DiagnosticDescriptors.UnsupportedExpression, whole, text.Length > 60 ? text.Substring(0, 60) + " …" : text,
                    $"it nests more than {MaxDepth} levels deep (operators, calls, parentheses or ?: inside one another); " +
                    "split it over several statements, or add its terms in a loop");
            }
            return Placeholder(syntax);
        }
        _depth++;
        try
        {
            return ParseAtDepth(syntax);
        }
        finally
        {
            _depth--;
        }
    }

    private Expr ParseAtDepth(ExpressionSyntax syntax)
    {
        TypeInfo info = Model.GetTypeInfo(syntax, _ctx.CancellationToken);
        ITypeSymbol? converted = info.ConvertedType ?? info.Type;
        if (info.Type is { TypeKind: TypeKind.Error } || converted is { TypeKind: TypeKind.Error })
        {
            throw new SourceDoesNotCompileException();
        }
        if (NullComparison(syntax) is { } nullCheck)
        {
            (BinaryExpressionSyntax comparison, ExpressionSyntax valueSide) = nullCheck;
            ITypeSymbol? valueType = Model.GetTypeInfo(valueSide, _ctx.CancellationToken).Type;
            if (valueType is { IsReferenceType: true })
            {
                // 'mask == null' compares as object; "uses object, dynamic or a boxing conversion" named no cause.
                return Unsupported(comparison, NullCheckMessage);
            }
            // Not a span: its == null compares with an empty span (true for one), no lifted comparison.
            if (valueType is { IsValueType: true, IsRefLikeType: false } && valueType.OriginalDefinition.SpecialType != SpecialType.System_Nullable_T &&
                // A user-defined == (S, object) decides for itself (helper-99): only a lifted comparison is constant.
                !(Model.GetSymbolInfo(comparison, _ctx.CancellationToken).Symbol is IMethodSymbol { MethodKind: MethodKind.UserDefinedOperator } op &&
                  op.Parameters.Any(p => p.Type.IsReferenceType)))
            {
                // 'x != null' with a double x: the compiler lifts it to double?, and both sides were told nullable value
                // types are not supported, where nothing was nullable (the compiler's CS0472 says the result is constant).
                bool equals = comparison.IsKind(SyntaxKind.EqualsExpression);
                string typeName = valueType.ToDisplayString();
                string article = typeName is "int" or "sbyte" or "nint" or "nuint" ? "an" : "a";
                return Unsupported(comparison, $"'{SourceText.OneLine(valueSide.ToString())}' is {article} {typeName}, which is never null, so the comparison is always {(equals ? "false" : "true")}; remove it");
            }
            if (!ReferenceEquals(Unparenthesized(syntax), Unparenthesized(valueSide)))
            {
                // The null beside a nullable value: that side's own diagnostic says what to do; one is enough (the null
                // read as a value of type object).
                return Placeholder(converted);
            }
        }
        if (TypeMapper.IsObjectOrDynamic(info.Type) || TypeMapper.IsObjectOrDynamic(converted))
        {
            _ctx.Report(DiagnosticDescriptors.ObjectOrDynamic, syntax, SourceText.OneLine(syntax.ToString()));
            return Placeholder(converted);
        }
        if (TypeMapper.IsPointer(info.Type))
        {
            _ctx.Report(DiagnosticDescriptors.Unsafe, syntax, SourceText.OneLine(syntax.ToString()));
            return Placeholder(converted);
        }
        if (info.Type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } ||
            converted is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T })
        {
            // 'n > 0' with an int? n: the literal is lifted to int?, which read as an unsupported constant.
            return Unsupported(syntax, "nullable value types (int?, double?) are not supported in expressions; pass the value itself, or test 'n.HasValue' outside the method");
        }

        Optional<object?> constant = Model.GetConstantValue(syntax, _ctx.CancellationToken);
        if (constant.HasValue)
        {
            TypeRef constantType = TypeMapper.Map(converted);
            string? code = LiteralFormatter.Format(constant.Value, constantType);
            if (code is not null) return new LiteralExpr(code, constantType);
        }

        Expr expr = ParseCore(syntax);
        TypeRef target = TypeMapper.Map(converted);
        Conversion conversion = Model.GetConversion(syntax, _ctx.CancellationToken);
        if (conversion.IsImplicit && conversion.IsNumeric && !expr.Type.Equals(target))
        {
            return new CastExpr(expr, target);
        }
        return expr;
    }

    private Expr ParseCore(ExpressionSyntax syntax)
    {
        switch (syntax)
        {
            case ParenthesizedExpressionSyntax p:
                return Parse(p.Expression);
            case IdentifierNameSyntax id:
                return ParseName(id);
            case LiteralExpressionSyntax lit when lit.Token.Value is decimal:
                return Unsupported(syntax, "decimal is not supported; use double (a 'm' literal is decimal: write 3.0 instead of 3m)");
            case LiteralExpressionSyntax when TypeMapper.Map(Model.GetTypeInfo(syntax, _ctx.CancellationToken).ConvertedType) is { Shape: ShapeKind.Other } other:
                return Unsupported(syntax, $"values of type '{TypeName(other)}' are not supported; compute with double, float and int (or the other C# integers)");
            case LiteralExpressionSyntax:
                return Unsupported(syntax, "only numeric and boolean constants are supported; strings, characters and null carry no derivative, so compute with numbers");
            case BinaryExpressionSyntax b:
                return ParseBinary(b);
            case PrefixUnaryExpressionSyntax u:
                return ParsePrefix(u);
            case PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.SuppressNullableWarningExpression } bang:
                return Parse(bang.Operand);
            case PostfixUnaryExpressionSyntax:
                return Unsupported(syntax, "++ and -- are supported only as statements; write 'i++;' on its own line");
            case CastExpressionSyntax c:
                return ParseCast(c);
            case ConditionalExpressionSyntax c when TypeOf(c).IsBuffer:
                // Which array a name stands for would be known only at run time; the analyses tell arrays apart by name.
                return Unsupported(c, "an array or span chosen with ?: is not supported; use if/else and index the one you need in each branch");
            case ConditionalExpressionSyntax c:
                return new ConditionalExpr(Parse(c.Condition), Parse(c.WhenTrue), Parse(c.WhenFalse), TypeOf(c));
            case ElementAccessExpressionSyntax e:
                return ParseElementAccess(e);
            case MemberAccessExpressionSyntax m:
                return ParseMemberAccess(m);
            case InvocationExpressionSyntax inv:
                return ParseInvocation(inv);
            case CheckedExpressionSyntax ch when ch.IsKind(SyntaxKind.CheckedExpression) == Model.Compilation.Options.CheckOverflow ||
                                                 !HasIntegerArithmetic(ch.Expression):
                // The project's own overflow context, or no integer arithmetic inside (floating point, which no context
                // affects): the generated code, compiled with the same options, behaves alike.
                return Parse(ch.Expression);
            case CheckedExpressionSyntax ch:
                return Unsupported(syntax, $"'{ch.Keyword.Text}(...)' against the project's overflow checking is not supported (the generated code would not keep it); " +
                    "compute it outside the method and pass it in, or change <CheckForOverflowUnderflow>");
            case LambdaExpressionSyntax or AnonymousMethodExpressionSyntax:
                _ctx.Report(DiagnosticDescriptors.LambdaOrLocalFunction, syntax, "A lambda or anonymous method");
                return Placeholder(syntax);
            case QueryExpressionSyntax:
                _ctx.Report(DiagnosticDescriptors.Linq, syntax, SourceText.OneLine(syntax.ToString()));
                return Placeholder(syntax);
            case ThrowExpressionSyntax:
                _ctx.Report(DiagnosticDescriptors.ExceptionHandling, syntax, "throw");
                return Placeholder(syntax);
            case AssignmentExpressionSyntax:
                return Unsupported(syntax, "assignments inside expressions are not supported; assign in a separate statement");
            case ObjectCreationExpressionSyntax or ImplicitObjectCreationExpressionSyntax:
                return Unsupported(syntax, "creating objects is not supported in a [Differentiable] method; compute with float and double values, and pass objects in as [NoGrad] parameters");
            case ArrayCreationExpressionSyntax or StackAllocArrayCreationExpressionSyntax or ImplicitArrayCreationExpressionSyntax
                or CollectionExpressionSyntax when syntax.Parent is ArgumentSyntax:
                return Unsupported(syntax, "an array created in an argument is not supported; declare a local array ('var a = new double[n];'), fill it, and pass it");
            case ArrayCreationExpressionSyntax or StackAllocArrayCreationExpressionSyntax:
                return Unsupported(syntax, "create arrays only as a local variable's initializer: 'var a = new double[n];'");
            case RefExpressionSyntax:
                return Unsupported(syntax, "ref expressions are not supported; assign or pass the value itself (or an array element)");
            case SwitchExpressionSyntax:
                return Unsupported(syntax, "switch expressions are not supported; use if/else or ?:");
            case IsPatternExpressionSyntax nullPattern when IsNullPattern(nullPattern.Pattern):
                // 'is null' is told what 'is' patterns are told, write it with ==, and '== null' is refused too.
                return Unsupported(syntax, NullCheckMessage);
            case IsPatternExpressionSyntax:
                return Unsupported(syntax, "'is' patterns are not supported; write the comparisons with ==, <, >, && and || (for example 'x > 0 && x < 5' for 'x is > 0 and < 5')");
            case TupleExpressionSyntax:
                return Unsupported(syntax, "tuples are not supported; use a variable for each value");
            case InterpolatedStringExpressionSyntax or TypeOfExpressionSyntax:
                return Unsupported(syntax, "strings and types are not values the method can compute with; only numbers and booleans");
            case AwaitExpressionSyntax:
                return Unsupported(syntax, "await is not supported: a [Differentiable] method is synchronous");
            default:
                return Unsupported(syntax, "this kind of expression cannot be differentiated");
        }
    }

    private Expr ParseName(IdentifierNameSyntax id)
    {
        ISymbol? symbol = Model.GetSymbolInfo(id, _ctx.CancellationToken).Symbol;
        switch (symbol)
        {
            case IParameterSymbol p:
                return new VariableExpr(p.Name, TypeMapper.Map(p.Type));
            case ILocalSymbol l:
                return new VariableExpr(_ctx.LocalName(l), TypeMapper.Map(l.Type));
            case IFieldSymbol or IPropertySymbol when Unreachable(symbol) is { } why:
                return Unsupported(id, why);
            case IFieldSymbol { IsStatic: true } f:
                return new OpaqueValueExpr(f.ContainingType.ToDisplayString(TypeMapper.QualifiedFormat) + "." + f.Name, TypeMapper.Map(f.Type));
            case IPropertySymbol { IsStatic: true } prop:
                return new OpaqueValueExpr(prop.ContainingType.ToDisplayString(TypeMapper.QualifiedFormat) + "." + prop.Name, TypeMapper.Map(prop.Type));
            case null:
                throw new SourceDoesNotCompileException();
            default:
                return Unsupported(id, $"'{id.Identifier.Text}' is a {symbol.Kind.ToString().ToLowerInvariant()}; only parameters, locals, constants and static fields can be read");
        }
    }

    private Expr ParseBinary(BinaryExpressionSyntax b)
    {
        BinaryOp? op = b.Kind() switch
        {
            SyntaxKind.AddExpression => BinaryOp.Add,
            SyntaxKind.SubtractExpression => BinaryOp.Subtract,
            SyntaxKind.MultiplyExpression => BinaryOp.Multiply,
            SyntaxKind.DivideExpression => BinaryOp.Divide,
            SyntaxKind.ModuloExpression => BinaryOp.Modulo,
            SyntaxKind.LessThanExpression => BinaryOp.Less,
            SyntaxKind.LessThanOrEqualExpression => BinaryOp.LessOrEqual,
            SyntaxKind.GreaterThanExpression => BinaryOp.Greater,
            SyntaxKind.GreaterThanOrEqualExpression => BinaryOp.GreaterOrEqual,
            SyntaxKind.EqualsExpression => BinaryOp.Equal,
            SyntaxKind.NotEqualsExpression => BinaryOp.NotEqual,
            SyntaxKind.LogicalAndExpression => BinaryOp.And,
            SyntaxKind.LogicalOrExpression => BinaryOp.Or,
            SyntaxKind.BitwiseAndExpression => BinaryOp.BitwiseAnd,
            SyntaxKind.BitwiseOrExpression => BinaryOp.BitwiseOr,
            SyntaxKind.ExclusiveOrExpression => BinaryOp.BitwiseXor,
            SyntaxKind.LeftShiftExpression => BinaryOp.ShiftLeft,
            SyntaxKind.RightShiftExpression => BinaryOp.ShiftRight,
            SyntaxKind.UnsignedRightShiftExpression => BinaryOp.UnsignedShiftRight,
            _ => null,
        };
        if (op is null)
        {
            return Unsupported(b, $"the operator '{b.OperatorToken.Text}' is not supported" + (b.IsKind(SyntaxKind.CoalesceExpression)
                ? "; decide outside the method, where null is known (pass 'c ?? defaults' as the argument), since null checks are not supported either"
                : "; write it with +, -, *, /, %, comparisons, && and ||, or Math functions"));
        }
        TypeRef type = TypeOf(b);
        Expr left = Parse(b.Left);
        Expr right = Parse(b.Right);
        if (op == BinaryOp.Modulo && (left.Type.IsRealElement || right.Type.IsRealElement))
        {
            return Unsupported(b, "'%' on float or double is not differentiable here; use it on integers, or write x - Math.Truncate(x / y) * y (what % computes; Math.Floor for a remainder with the sign of y)");
        }
        if (left.Type.IsTensorLike || right.Type.IsTensorLike)
        {
            return Unsupported(b, "operators on tensors are not supported; use Nn.Add, Nn.Sub, Nn.Mul, Nn.Scale");
        }
        if (type.Shape != ShapeKind.Scalar || type.Element == ScalarKind.Other)
        {
            return Unsupported(b, $"arithmetic on '{TypeName(left.Type)}' is not supported; compute with double, float and int (or the other C# integers)");
        }
        return new BinaryExpr(op.Value, left, right, type);
    }

    private Expr ParsePrefix(PrefixUnaryExpressionSyntax u)
    {
        UnaryOp? op = u.Kind() switch
        {
            SyntaxKind.UnaryMinusExpression => UnaryOp.Negate,
            SyntaxKind.UnaryPlusExpression => UnaryOp.Plus,
            SyntaxKind.LogicalNotExpression => UnaryOp.Not,
            SyntaxKind.BitwiseNotExpression => UnaryOp.BitwiseNot,
            _ => null,
        };
        if (op is null)
        {
            return u.Kind() switch
            {
                SyntaxKind.PreIncrementExpression or SyntaxKind.PreDecrementExpression =>
                    Unsupported(u, "++ and -- are supported only as statements; write 'i++;' on its own line"),
                SyntaxKind.PointerIndirectionExpression or SyntaxKind.AddressOfExpression =>
                    Unsupported(u, "pointers are not supported; index an array or span instead"),
                _ => Unsupported(u, $"the operator '{u.OperatorToken.Text}' is not supported here"),
            };
        }
        return new UnaryExpr(op.Value, Parse(u.Operand), TypeOf(u));
    }

    /// <summary>Whether an overflow context could change <paramref name="e"/>: an integer operation or a conversion to an integer in it.</summary>
    private bool HasIntegerArithmetic(ExpressionSyntax e) =>
        e.DescendantNodesAndSelf().OfType<ExpressionSyntax>().Any(n =>
            n is BinaryExpressionSyntax or CastExpressionSyntax or PrefixUnaryExpressionSyntax or PostfixUnaryExpressionSyntax &&
            Model.GetTypeInfo(n, _ctx.CancellationToken).Type is { SpecialType: >= SpecialType.System_Char and <= SpecialType.System_UInt64 });

    private static string TypeName(TypeRef type) => type.Display.Replace("global::", string.Empty).Replace("System.", string.Empty);

    private Expr ParseCast(CastExpressionSyntax c)
    {
        TypeRef target = TypeOf(c);
        Expr operand = Parse(c.Expression);
        if (target.Shape != ShapeKind.Scalar || operand.Type.Shape != ShapeKind.Scalar || target.Element == ScalarKind.Other || operand.Type.Element == ScalarKind.Other)
        {
            return Unsupported(c, operand.Type.Shape == ShapeKind.Other
                ? $"'{TypeName(operand.Type)}' values are not supported; compute with double, float and int (or long, short, byte and the other fixed-size integers; not nint or nuint)"
                : $"casts to '{TypeName(target)}' are not supported; cast between double, float and int (or long, short, byte and the other fixed-size integers; not nint or nuint)");
        }
        return operand.Type.Equals(target) ? operand : new CastExpr(operand, target);
    }

    private Expr ParseElementAccess(ElementAccessExpressionSyntax e)
    {
        bool written = e.Parent is AssignmentExpressionSyntax a && a.Left == e ||
                       e.Parent is PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PostIncrementExpression or (int)SyntaxKind.PostDecrementExpression }
                           or PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PreIncrementExpression or (int)SyntaxKind.PreDecrementExpression };
        Expr receiver = (written ? null : StaticBuffer(e.Expression)) ?? Parse(e.Expression);
        if (IsPlaceholder(receiver))
        {
            return receiver; // the receiver was reported (a[i] of a[i][j])
        }
        if (receiver is not VariableExpr buffer || !(buffer.Type.IsBuffer || buffer.Type.Shape == ShapeKind.TensorArray))
        {
            return Unsupported(e, WhyNotIndexable(e, receiver, written));
        }
        if (e.ArgumentList.Arguments.Count > 1)
        {
            return Unsupported(e, "multidimensional arrays (a[i, j]) are not supported; use a one-dimensional array indexed a[i * columns + j]");
        }
        if (e.ArgumentList.Arguments.Count != 1 || e.ArgumentList.Arguments[0].Expression is PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.IndexExpression } or RangeExpressionSyntax)
        {
            return Unsupported(e, "index with a single int, not a range or '^' index");
        }
        Expr index = Parse(e.ArgumentList.Arguments[0].Expression);
        if (index.Type.IsIntegral && !index.Type.Equals(TypeRef.Int))
        {
            // A long (or unsigned) index: spans, and so every gradient buffer, take only int. No valid index changes; a
            // long or ulong past int's range goes through a check, since a plain cast would wrap it onto a valid element
            // (the narrower types cannot reach past it: a uint past it becomes negative and still fails).
            index = index.Type.Display is "long" or "ulong"
                ? new OpaqueCallExpr("global::AutoGrad.Internal.Indexes.ToInt", null, EquatableArray.Of(index), TypeRef.Int, null)
                : new CastExpr(index, TypeRef.Int);
        }
        return new ElementExpr(buffer, index, TypeOf(e));
    }

    /// <summary>What to write instead of indexing <paramref name="receiver"/>, which is no array, span or Tensor[] variable.</summary>
    private string WhyNotIndexable(ElementAccessExpressionSyntax e, Expr receiver, bool written)
    {
        if (written && StaticTable(e.Expression) is not null)
        {
            return "a static array cannot be written by a [Differentiable] method; copy it into a local array first";
        }
        if (Model.GetTypeInfo(e.Expression, _ctx.CancellationToken).Type is IArrayTypeSymbol { Rank: > 1 })
        {
            return "multidimensional arrays (a[i, j]) are not supported; use one flat array and index it (a[i * columns + j]), or take a row with a.AsSpan(i * columns, columns)";
        }
        if (receiver.Type.Shape == ShapeKind.Other && Model.GetTypeInfo(e.Expression, _ctx.CancellationToken).Type is IArrayTypeSymbol)
        {
            return "arrays of arrays (a[i][j]) are not supported; pass one flat array and index it (a[i * columns + j]), or take a row with a.AsSpan(i * columns, columns)";
        }
        return receiver switch
        {
            { Type.Shape: ShapeKind.Tensor } =>
                "a tensor is not indexed directly; read its elements through a span local ('var s = t.Span;', then s[i]), or take its size with t.Dim(axis)",
            OpaqueMemberExpr { Member: "Shape", Receiver.Type.Shape: ShapeKind.Tensor } =>
                "write t.Dim(axis) for a tensor's size along an axis (t.Shape is a span the generator does not index)",
            _ => "only elements of array, span or Tensor[] variables, and static readonly arrays of numbers, can be indexed",
        };
    }

    private Expr ParseMemberAccess(MemberAccessExpressionSyntax m)
    {
        ISymbol? symbol = Model.GetSymbolInfo(m, _ctx.CancellationToken).Symbol;
        if (symbol is null) throw new SourceDoesNotCompileException();
        if (symbol is IPropertySymbol { Name: "Span" } && !symbol.IsStatic && TypeMapper.IsTensor(symbol.ContainingType))
        {
            Expr receiver = Parse(m.Expression);
            if (receiver is VariableExpr tensor) return new TensorDataExpr(tensor, TypeOf(m));
            return Unsupported(m, "read .Span of a tensor variable: 'var p = Nn.Sigmoid(z); var ps = p.Span;'");
        }
        if (symbol is IPropertySymbol { Name: "Length" } && !symbol.IsStatic)
        {
            Expr receiver = StaticBuffer(m.Expression) ?? Parse(m.Expression);
            if (receiver is VariableExpr v && (v.Type.IsBuffer || v.Type.Shape == ShapeKind.TensorArray))
            {
                return new LengthExpr(v);
            }
        }
        if (symbol is IFieldSymbol or IPropertySymbol && Unreachable(symbol) is { } why)
        {
            return Unsupported(m, why);
        }
        if (symbol.IsStatic && symbol is IFieldSymbol or IPropertySymbol)
        {
            ITypeSymbol type = symbol is IFieldSymbol f ? f.Type : ((IPropertySymbol)symbol).Type;
            return new OpaqueValueExpr(symbol.ContainingType.ToDisplayString(TypeMapper.QualifiedFormat) + "." + symbol.Name, TypeMapper.Map(type));
        }
        if (symbol is IPropertySymbol or IFieldSymbol)
        {
            Expr receiver = Parse(m.Expression);
            return new OpaqueMemberExpr(receiver, symbol.Name, TypeOf(m));
        }
        if (symbol is IMethodSymbol)
        {
            return Unsupported(m, "method groups and delegates are not supported; call the method directly");
        }
        return Unsupported(m, "only .Length, static fields and static properties can be read");
    }

    /// <summary>
    /// A static readonly array of numbers, or a static get-only span property (<c>static ReadOnlySpan&lt;double&gt;
    /// C =&gt; [...]</c>), read as a local the method's prologue assigns; null for anything else.
    /// </summary>
    private VariableExpr? StaticBuffer(ExpressionSyntax syntax)
    {
        if (StaticTable(syntax) is not var (symbol, type)) return null;
        string code = symbol.ContainingType.ToDisplayString(TypeMapper.QualifiedFormat) + "." + symbol.Name;
        return _ctx.StaticBuffer(symbol, code, type, SourceText.Of(syntax));
    }

    /// <summary>The static table <paramref name="syntax"/> names, and its type; null for anything else.</summary>
    private (ISymbol Symbol, TypeRef Type)? StaticTable(ExpressionSyntax syntax)
    {
        ISymbol? symbol = Model.GetSymbolInfo(syntax, _ctx.CancellationToken).Symbol;
        ITypeSymbol? type = symbol switch
        {
            IFieldSymbol { IsStatic: true, IsReadOnly: true } f => f.Type,
            IPropertySymbol { IsStatic: true, SetMethod: null, Parameters.Length: 0 } p => p.Type,
            _ => null,
        };
        if (type is null) return null;
        TypeRef mapped = TypeMapper.Map(type);
        return mapped.IsBuffer && mapped.Element != ScalarKind.Other ? (symbol!, mapped) : null;
    }

    private Expr ParseInvocation(InvocationExpressionSyntax inv)
    {
        if (Model.GetSymbolInfo(inv, _ctx.CancellationToken).Symbol is not IMethodSymbol method)
        {
            // nameof(x) has no method symbol but a value: a string, which nothing here computes with.
            if (Model.GetConstantValue(inv, _ctx.CancellationToken).HasValue) return Unsupported(inv, "only numeric and boolean constants are supported; write the number itself");
            throw new SourceDoesNotCompileException();
        }
        foreach (ArgumentSyntax arg in inv.ArgumentList.Arguments)
        {
            if (!arg.RefKindKeyword.IsKind(SyntaxKind.None))
            {
                return Unsupported(arg, "ref, out and in arguments are not supported");
            }
            if (arg.NameColon is not null)
            {
                return Unsupported(arg, "named arguments are not supported; pass arguments in order");
            }
        }
        TypeRef type = TypeOf(inv);
        string containing = method.ContainingType.ToDisplayString();
        if ((containing == "System.Math" || containing == "System.MathF") && MathDerivatives.IsKnown(method.Name, method.Parameters.Length))
        {
            return new MathCallExpr(containing.Substring("System.".Length), method.Name, ParseArguments(inv, method), type);
        }

        if (SymbolEqualityComparer.Default.Equals(method.OriginalDefinition, _ctx.Method.OriginalDefinition))
        {
            _ctx.Report(DiagnosticDescriptors.Recursion, inv, _ctx.Method.Name);
            return Placeholder(inv);
        }

        if (TryFuse(inv, method) is { } fused) return fused;

        CalleeSpec? callee = CalleeResolver.Resolve(method, out string? pullbackError);
        if (pullbackError is not null)
        {
            var primal = method.ReducedFrom ?? method;
            string registered = primal.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == CalleeResolver.CustomPullbackAttribute)?
                .ConstructorArguments.FirstOrDefault().Value as string ?? "?";
            _ctx.Report(DiagnosticDescriptors.InvalidPullback, inv, registered, method.Name, pullbackError,
                CalleeResolver.ExpectedClause(primal, registered));
            return Placeholder(inv);
        }
        if (callee is not null && UncallablePullback(method) is { } uncallable)
        {
            _ctx.Report(DiagnosticDescriptors.InvalidPullback, inv, uncallable.Method.Name, method.Name, uncallable.Why, "");
            return Placeholder(inv);
        }
        if (callee is not null && CalleeResolver.HasAttribute(method.ReducedFrom ?? method, CalleeResolver.DifferentiableAttribute) &&
            !MethodParser.GetsGeneratedMembers((method.ReducedFrom ?? method).OriginalDefinition, Model.Compilation, _ctx.CancellationToken))
        {
            // The callee gets no generated members (its declaration has the compiler's errors or one of ours): a pullback
            // calling its pullback would fail inside generated code (CS0117), on top of the error that explains it.
            _ctx.CallsMethodWithoutGradient = true;
            return Placeholder(inv);
        }
        if (callee is not null)
        {
            if (Unreachable(method) is { } unreachable) return Unsupported(inv, unreachable);
            if (method.IsGenericMethod) return Unsupported(inv, "generic differentiable methods are not supported");
            if (inv.ArgumentList.Arguments.Count + (method.ReducedFrom is null ? 0 : 1) > callee.Parameters.Count)
            {
                return Unsupported(inv, method.Parameters.LastOrDefault()?.IsParams == true
                    ? $"'{method.Name}' takes a params array, which must be passed as one array here: declare a local array ('var a = new double[n];'), fill it, and pass it"
                    : "pass exactly the method's parameters; caller-info parameters are filled in by the generator");
            }
            if (CalleeResolver.HasAttribute(method.ReducedFrom ?? method, CalleeResolver.DifferentiableAttribute) && callee.ForwardInto is null &&
                (callee.Parameters.Any(p => p.Type.IsTensorLike) || callee.ReturnType.IsTensorLike))
            {
                return Unsupported(inv, "calling a [Differentiable] method that takes tensors from another one is not supported yet; call the Nn ops directly or give the method a [CustomPullback]");
            }
            // x.Ext() for an extension method: the pullback is called in static form, with the receiver first.
            ExpressionSyntax? extensionReceiver = method.ReducedFrom is not null && inv.Expression is MemberAccessExpressionSyntax access
                ? access.Expression
                : null;
            var args = ParseArguments(inv, method, forPullback: true, extensionReceiver);
            var written = inv.ArgumentList.Arguments.Select(a => a.Expression);
            if (extensionReceiver is not null) written = written.Prepend(extensionReceiver);
            var text = written.Select(e => SourceText.OneLine(e.ToString())).ToEquatableArray();
            if (callee.Activation is null && extensionReceiver is null)
            {
                // A fused op called directly names its activation by a constant argument: the layer is that activation's.
                var constants = inv.ArgumentList.Arguments.Select(a => Model.GetConstantValue(a.Expression, _ctx.CancellationToken) is { HasValue: true } c ? c.Value : null).ToList();
                if (CalleeResolver.ActivationArgument(method, constants) is { } named) callee = callee with { Activation = named };
            }
            return new PrimitiveCallExpr(callee, args, type, LocationInfo.From(inv)?.Line ?? 0, text) { Location = LocationInfo.From(inv) };
        }
        return ParseOpaqueCall(inv, method, type);
    }

    /// <summary>
    /// <c>Outer(Inner(args))</c> where an op in the same type declares <c>[FusionOf(Outer, Inner)]</c>: one call of the
    /// fused op, carrying the outer op's activation for probes.
    /// </summary>
    private Expr? TryFuse(InvocationExpressionSyntax inv, IMethodSymbol outer)
    {
        if (inv.ArgumentList.Arguments.Count != 1 || inv.ArgumentList.Arguments[0].Expression is not InvocationExpressionSyntax innerCall)
        {
            return null;
        }
        if (Model.GetSymbolInfo(innerCall, _ctx.CancellationToken).Symbol is not IMethodSymbol inner ||
            !SymbolEqualityComparer.Default.Equals(inner.ContainingType, outer.ContainingType))
        {
            return null;
        }
        foreach (IMethodSymbol candidate in outer.ContainingType.GetMembers().OfType<IMethodSymbol>())
        {
            foreach (AttributeData a in candidate.GetAttributes())
            {
                if (a.AttributeClass?.ToDisplayString() != "AutoGrad.FusionOfAttribute" || a.ConstructorArguments.Length != 2 ||
                    a.ConstructorArguments[0].Value as string != outer.Name || a.ConstructorArguments[1].Value as string != inner.Name)
                {
                    continue;
                }
                CalleeSpec? fused = CalleeResolver.Resolve(candidate, out string? error);
                CalleeSpec? outerSpec = CalleeResolver.Resolve(outer, out _);
                if (fused is null || error is not null) return null;
                // A fused op the method's type cannot call is not substituted (review helper-95: a private fused op
                // made CS0122 inside the generated file); the two ops stay separate calls.
                if (!Model.Compilation.IsSymbolAccessibleWithin(candidate, _ctx.Method.ContainingType) || CalleeResolver.IsObsoleteError(candidate) ||
                    UncallablePullback(candidate) is not null)
                {
                    return null;
                }
                var args = ParseArguments(innerCall, inner, forPullback: true).ToList();
                var text = innerCall.ArgumentList.Arguments.Select(x => SourceText.OneLine(x.Expression.ToString())).ToList();
                TypedConstant extra = a.NamedArguments.FirstOrDefault(n => n.Key == "Argument").Value;
                if (!extra.IsNull && extra.Type is not null)
                {
                    string code = extra.Type.TypeKind == TypeKind.Enum
                        ? extra.Type.ToDisplayString(TypeMapper.QualifiedFormat) + "." +
                          (extra.Type.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => f.HasConstantValue && Equals(f.ConstantValue, extra.Value))?.Name ?? "?")
                        : extra.ToCSharpString();
                    args.Add(new LiteralExpr(code, TypeMapper.Map(extra.Type)));
                    text.Add(outer.Name);
                }
                if (args.Count != fused.Parameters.Count) return null;
                // The inner op's line: its checks name it ("Linear at Mlp.cs:12"), as its own call would, also when the
                // outer call starts on an earlier line.
                return new PrimitiveCallExpr(fused with { Activation = outerSpec?.Activation }, args.ToEquatableArray(), TypeOf(inv),
                    LocationInfo.From(innerCall)?.Line ?? 0, text.ToEquatableArray())
                {
                    WrittenAs = outer.Name + "(" + inner.Name + ")",
                    SiteName = inner.Name,
                };
            }
        }
        return null;
    }

    /// <summary>
    /// Why the generated file (a file of its own) cannot name <paramref name="symbol"/>, or null when it can: a member of
    /// a file-local type, or of a C# 14 extension block, which the user's file reaches through its using directives.
    /// </summary>
    private static string? Unreachable(ISymbol symbol)
    {
        for (INamedTypeSymbol? type = (symbol as IMethodSymbol)?.ReducedFrom?.ContainingType ?? symbol.ContainingType; type is not null; type = type.ContainingType)
        {
            if (type.IsFileLocal)
            {
                return $"'{type.Name}' is a file-local type, which the generated code (in a file of its own) cannot name; drop 'file' (make it internal)";
            }
            if (!type.CanBeReferencedByName)
            {
                return $"'{symbol.Name}' is a member of an extension block, which the generated code cannot name; write it as a static method and call that";
            }
        }
        return null;
    }

    private Expr ParseOpaqueCall(InvocationExpressionSyntax inv, IMethodSymbol method, TypeRef type)
    {
        if (Unreachable(method) is { } unreachable) return Unsupported(inv, unreachable);
        if ((method.ReducedFrom ?? method).ContainingType.ToDisplayString() is "System.Linq.Enumerable" or "System.Linq.Queryable")
        {
            _ctx.Report(DiagnosticDescriptors.Linq, inv, SourceText.OneLine(inv.ToString()));
            return Placeholder(inv);
        }
        Expr? receiver = null;
        if (!method.IsStatic || method.ReducedFrom is not null)
        {
            receiver = inv.Expression is MemberAccessExpressionSyntax m ? Parse(m.Expression) : null;
            if (receiver is null)
            {
                // A local function's own declaration already got AG0008; its calls add nothing.
                if (method.MethodKind == MethodKind.LocalFunction) return Placeholder(inv);
                if (method.MethodKind == MethodKind.DelegateInvoke) return Unsupported(inv, "calling a delegate is not supported; call the method directly");
                return Unsupported(inv, "calls to instance methods need an explicit receiver");
            }
        }
        var args = ParseArguments(inv, method);

        // MemoryExtensions.AsSpan(b, 1, 2) is the view b.AsSpan(1, 2), written as a static call.
        if (receiver is null && method.ReducedFrom is null && method.Name == "AsSpan" && args.Count >= 1 &&
            method.ContainingType.ToDisplayString() == "System.MemoryExtensions")
        {
            receiver = args[0];
            args = args.Skip(1).ToEquatableArray();
            if (!(receiver is VariableExpr { Type.IsRealBuffer: true } && args.All(a => a.Type.IsIntegral) && type.IsRealBuffer))
            {
                args = new[] { receiver }.Concat(args).ToEquatableArray();
                receiver = null;
            }
        }

        // Views of a buffer alias it; their adjoint is the same view of the buffer's adjoint.
        if (receiver is VariableExpr buffer && buffer.Type.IsRealBuffer && method.Name is "AsSpan" or "Slice" &&
            (args.Count is 1 or 2 || args.Count == 0 && method.Name == "AsSpan") && args.All(a => a.Type.IsIntegral) && type.IsRealBuffer)
        {
            // a.AsSpan() is the view a.AsSpan(0).
            Expr start = args.Count > 0 ? args[0] : new LiteralExpr("0", TypeRef.Int);
            return new SliceExpr(buffer, start, args.Count == 2 ? args[1] : null, type);
        }

        string target;
        if (method.ReducedFrom is not null)
        {
            // Extension methods are emitted as static calls so the generated code needs no using directives.
            target = method.ReducedFrom.ContainingType.ToDisplayString(TypeMapper.QualifiedFormat) + "." + method.Name + TypeArguments(method);
            args = new[] { receiver! }.Concat(args).ToEquatableArray();
            receiver = null;
        }
        else if (method.IsStatic)
        {
            target = method.ContainingType.ToDisplayString(TypeMapper.QualifiedFormat) + "." + method.Name + TypeArguments(method);
        }
        else
        {
            target = method.Name + TypeArguments(method);
        }
        // Which arguments the callee can only read (a ReadOnlySpan parameter): the rest of the memory it is given, it
        // could write (see the differentiator's check of opaque calls given memory that carries a derivative).
        var parameters = (method.ReducedFrom ?? method).Parameters;
        var readOnly = args.Select((_, i) => i < parameters.Length && parameters[i].Type is INamedTypeSymbol
            { Name: "ReadOnlySpan" or "ReadOnlyMemory", ContainingNamespace.Name: "System" }).ToEquatableArray();
        return new OpaqueCallExpr(target, receiver, args, type, LocationInfo.From(inv)) { ReadOnlyArguments = readOnly };
    }

    private static string TypeArguments(IMethodSymbol method) =>
        method.IsGenericMethod
            ? "<" + string.Join(", ", method.TypeArguments.Select(t => t.ToDisplayString(TypeMapper.QualifiedFormat))) + ">"
            : string.Empty;

    /// <summary>The call's arguments. For a call the generated code reverses (<paramref name="forPullback"/>), every
    /// parameter's: omitted optional arguments are written out, and a params array the compiler would build is
    /// refused; other calls are emitted as written.</summary>
    private EquatableArray<Expr> ParseArguments(InvocationExpressionSyntax inv, IMethodSymbol method, bool forPullback = false,
        ExpressionSyntax? extensionReceiver = null)
    {
        var list = new List<Expr>();
        ImmutableArray<IParameterSymbol> parameters = (method.ReducedFrom ?? method).Parameters;
        if (extensionReceiver is not null) list.Add(Parse(extensionReceiver));
        if (!forPullback)
        {
            foreach (ArgumentSyntax arg in inv.ArgumentList.Arguments) list.Add(IntList(arg.Expression) ?? Parse(arg.Expression));
            return list.ToEquatableArray();
        }
        if (parameters.Length > 0 && parameters[parameters.Length - 1].IsParams &&
            Model.GetOperation(inv, _ctx.CancellationToken) is IInvocationOperation operation &&
            operation.Arguments.Any(a => a.ArgumentKind is not (ArgumentKind.Explicit or ArgumentKind.DefaultValue)))
        {
            // Sum(x, y) for Sum(params double[] xs): the compiler builds the array, which the pullback cannot see. A params
            // span's kind (ParamCollection) is newer than the Roslyn the generator is built against: any kind but these two.
            list.Add(Unsupported(inv, $"'{method.Name}' takes a params list, which the generated code cannot build for the pullback; " +
                "declare a local array, fill it, and pass it"));
            return list.ToEquatableArray();
        }
        foreach (ArgumentSyntax arg in inv.ArgumentList.Arguments) list.Add(IntList(arg.Expression) ?? Parse(arg.Expression));
        // Omitted optional arguments: the pullback takes every parameter, so their default values are written out.
        for (int i = list.Count; i < parameters.Length; i++)
        {
            IParameterSymbol parameter = parameters[i];
            if (IsCallerInfo(parameter)) break; // an op's [CallerFilePath] and friends: the generator fills those in
            if (parameter.IsParams)
            {
                // The params list left empty, where the compiler reports no argument for it at all.
                list.Add(Unsupported(inv, $"'{method.Name}' takes a params list, which the generated code cannot build for the pullback; " +
                    "declare a local array (empty here), fill it, and pass it"));
                break;
            }
            TypeRef type = TypeMapper.Map(parameter.Type);
            string? code = parameter.HasExplicitDefaultValue ? DefaultValueCode(parameter, type) : null;
            list.Add(code is null
                ? Unsupported(inv, $"pass '{parameter.Name}' explicitly: its default value cannot be written into the generated code")
                : new LiteralExpr(code, type));
        }
        return list.ToEquatableArray();
    }

    /// <summary>An optional parameter's default as C#: numbers and bools as literals, enums cast from their value,
    /// null, strings and decimals; null when it cannot be written.</summary>
    private static string? DefaultValueCode(IParameterSymbol parameter, TypeRef type)
    {
        object? value = parameter.ExplicitDefaultValue;
        string typeName = parameter.Type.ToDisplayString(TypeMapper.QualifiedFormat);
        return value switch
        {
            null => parameter.Type.IsReferenceType ? "null" : "default(" + typeName + ")",
            string text => SymbolDisplay.FormatLiteral(text, quote: true),
            decimal number => number.ToString(System.Globalization.CultureInfo.InvariantCulture) + "m",
            _ when parameter.Type.TypeKind == TypeKind.Enum =>
                "(" + typeName + ")(" + System.Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) + ")",
            _ => LiteralFormatter.Format(value, type),
        };
    }

    private static bool IsCallerInfo(IParameterSymbol parameter) =>
        parameter.GetAttributes().Any(a => a.AttributeClass is { } c && c.Name.StartsWith("Caller", System.StringComparison.Ordinal) &&
            c.ContainingNamespace.ToDisplayString() == "System.Runtime.CompilerServices");

    /// <summary>
    /// <c>[rows, 12]</c>, <c>new[] { rows, 12 }</c> or <c>new int[] { rows, 12 }</c> passed to an integer span parameter
    /// (an op's shape), as an <see cref="IntListExpr"/>; null for any other argument. An integer array parameter is
    /// refused: the list would be a new array on every call.
    /// </summary>
    private Expr? IntList(ExpressionSyntax argument)
    {
        IEnumerable<ExpressionSyntax>? elements = argument switch
        {
            CollectionExpressionSyntax c when c.Elements.All(e => e is ExpressionElementSyntax) =>
                c.Elements.Cast<ExpressionElementSyntax>().Select(e => e.Expression),
            ImplicitArrayCreationExpressionSyntax { Initializer: var init } => init.Expressions,
            ArrayCreationExpressionSyntax { Initializer: { } init } => init.Expressions,
            _ => null,
        };
        if (elements is null) return null;
        TypeRef target = TypeMapper.Map(Model.GetTypeInfo(argument, _ctx.CancellationToken).ConvertedType);
        if (target.Element != ScalarKind.Int || !target.IsBuffer) return null;
        if (target.Shape == ShapeKind.Array)
        {
            return Unsupported(argument, "a list of integers passed as an int[] would be a new array on every call; pass an int[] parameter marked [NoGrad], or give the method a ReadOnlySpan<int> parameter");
        }
        if (((CSharpParseOptions)argument.SyntaxTree.Options).LanguageVersion < LanguageVersion.CSharp12)
        {
            return Unsupported(argument, "a list of integers passed to a span needs C# 12 collection expressions in the generated code; set LangVersion to 12 or later, or pass a [NoGrad] int[] parameter");
        }
        var parsed = elements.Select(Parse).ToList();
        if (parsed.Any(e => !e.Type.IsIntegral))
        {
            return Unsupported(argument, "only lists of integers can be passed here");
        }
        return new IntListExpr(parsed.ToEquatableArray(), target);
    }

    private TypeRef TypeOf(ExpressionSyntax syntax) => TypeMapper.Map(Model.GetTypeInfo(syntax, _ctx.CancellationToken).Type);

    private Expr Unsupported(SyntaxNode node, string why)
    {
        _ctx.Report(DiagnosticDescriptors.UnsupportedExpression, node, SourceText.OneLine(node.ToString()), why);
        return Placeholder(node as ExpressionSyntax);
    }

    private Expr Placeholder(ExpressionSyntax? syntax) =>
        Placeholder(syntax is null ? null : Model.GetTypeInfo(syntax, _ctx.CancellationToken).Type);

    private static Expr Placeholder(ITypeSymbol? type) => new LiteralExpr("default", TypeMapper.Map(type));

    /// <summary>Whether <paramref name="e"/> stands in for an expression already reported (see <see cref="Placeholder(ITypeSymbol?)"/>).</summary>
    private static bool IsPlaceholder(Expr e) => e is LiteralExpr { Code: "default" };

    /// <summary>
    /// The custom pullback or ForwardInto of <paramref name="method"/> that the generated code, in the method's own type,
    /// could not call (a library's public op with a private pullback: CS0122 inside the generated file), or null. The
    /// overloads the registration matched, not any of the name: a private matching one beside a public one with an
    /// optional parameter bound the generated call to the public one, a wrong gradient with no error.
    /// </summary>
    /// <remarks>Also one <c>[Obsolete]</c> as an error, which no generated call can name (CS0619).</remarks>
    private (IMethodSymbol Method, string Why)? UncallablePullback(IMethodSymbol method)
    {
        foreach (IMethodSymbol m in CalleeResolver.CustomPullbackMethods(method))
        {
            if (CalleeResolver.IsObsoleteError(m))
            {
                return (m, $"it is [Obsolete] as an error, so the gradient of '{_ctx.Method.Name}' cannot call it; register a pullback that is not");
            }
            if (!Model.Compilation.IsSymbolAccessibleWithin(m, _ctx.Method.ContainingType))
            {
                return (m, $"it is {AccessibilityWord(m.DeclaredAccessibility)} in {m.ContainingType.Name}, so the gradient of '{_ctx.Method.Name}' " +
                    $"cannot call it; make it as accessible as '{method.Name}'");
            }
        }
        return null;
    }

    private static string AccessibilityWord(Accessibility accessibility) => accessibility switch
    {
        Accessibility.Private => "private",
        Accessibility.Internal => "internal",
        Accessibility.Protected => "protected",
        Accessibility.ProtectedAndInternal => "private protected",
        Accessibility.ProtectedOrInternal => "protected internal",
        _ => "not accessible",
    };

    /// <summary>
    /// For a side of <c>a == null</c> or <c>a != null</c> (parentheses allowed around either side), the comparison and
    /// its side that is not null; null for anything else.
    /// </summary>
    private static (BinaryExpressionSyntax Comparison, ExpressionSyntax ValueSide)? NullComparison(ExpressionSyntax syntax)
    {
        SyntaxNode? node = syntax;
        while (node.Parent is ParenthesizedExpressionSyntax) node = node.Parent;
        if (node.Parent is not BinaryExpressionSyntax comparison || comparison.Kind() is not (SyntaxKind.EqualsExpression or SyntaxKind.NotEqualsExpression))
        {
            return null;
        }
        if (Unparenthesized(comparison.Left).IsKind(SyntaxKind.NullLiteralExpression)) return (comparison, comparison.Right);
        if (Unparenthesized(comparison.Right).IsKind(SyntaxKind.NullLiteralExpression)) return (comparison, comparison.Left);
        return null;
    }

    private const string NullCheckMessage =
        "null checks are not supported; decide outside the method (call one of two methods, or pass a tensor of ones for 'no mask')";

    /// <summary><c>null</c>, <c>not null</c>, <c>(null)</c>: a null check written as a pattern.</summary>
    private static bool IsNullPattern(PatternSyntax pattern) => pattern switch
    {
        ParenthesizedPatternSyntax p => IsNullPattern(p.Pattern),
        UnaryPatternSyntax u => IsNullPattern(u.Pattern),
        ConstantPatternSyntax c => Unparenthesized(c.Expression).IsKind(SyntaxKind.NullLiteralExpression),
        _ => false,
    };

    private static ExpressionSyntax Unparenthesized(ExpressionSyntax e)
    {
        while (e is ParenthesizedExpressionSyntax p) e = p.Expression;
        return e;
    }
}
