using System;
using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generator.Common;
using AutoGrad.Generator.Differentiation;
using AutoGrad.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoGrad.Generator.Parsing;

/// <summary>
/// Turns statement syntax into <see cref="Stmt"/>s: blocks are flattened (locals have unique names), compound
/// assignments and ++/-- become plain assignments, and unsupported statements are reported where they stand.
/// </summary>
internal sealed class StatementParser
{
    private readonly ParseContext _ctx;
    private readonly ExpressionParser _expressions;

    public StatementParser(ParseContext ctx)
    {
        _ctx = ctx;
        _expressions = new ExpressionParser(ctx);
    }

    public EquatableArray<Stmt> ParseBody(BaseMethodDeclarationSyntax method)
    {
        var list = new List<Stmt>();
        if (method.ExpressionBody is { } arrow)
        {
            list.Add(new ReturnStmt(_expressions.Parse(arrow.Expression), SourceText.Of(arrow.Expression)));
        }
        else if (method.Body is { } body)
        {
            ParseInto(body, list);
        }
        return list.ToEquatableArray();
    }

    private EquatableArray<Stmt> ParseNested(StatementSyntax? statement)
    {
        var list = new List<Stmt>();
        if (statement is null) return list.ToEquatableArray();
        _ctx.Depth++;
        ParseInto(statement, list);
        _ctx.Depth--;
        return list.ToEquatableArray();
    }

    private void ParseInto(StatementSyntax statement, List<Stmt> output)
    {
        _ctx.CancellationToken.ThrowIfCancellationRequested();
        switch (statement)
        {
            case BlockSyntax block:
                foreach (StatementSyntax s in block.Statements) ParseInto(s, output);
                break;
            case EmptyStatementSyntax:
                break;
            case LocalDeclarationStatementSyntax decl:
                ParseDeclaration(decl, output);
                break;
            case ExpressionStatementSyntax expr:
                ParseExpressionStatement(expr.Expression, statement, output);
                break;
            case IfStatementSyntax ifs:
                output.Add(new IfStmt(
                    _expressions.Parse(ifs.Condition),
                    ParseNested(ifs.Statement),
                    ParseNested(ifs.Else?.Statement),
                    new SourceInfo(LocationInfo.From(ifs)?.Line ?? 0, "if (" + SourceText.OneLine(ifs.Condition.ToString()) + ")", LocationInfo.From(ifs.IfKeyword.Parent))));
                break;
            case ForStatementSyntax fs:
                ParseFor(fs, output);
                break;
            case WhileStatementSyntax ws:
                output.Add(new LoopStmt(LoopKind.While, EquatableArray<Stmt>.Empty, _expressions.Parse(ws.Condition),
                    EquatableArray<Stmt>.Empty, ParseNested(ws.Statement),
                    Header(ws, "while (" + SourceText.OneLine(ws.Condition.ToString()) + ")")));
                break;
            case DoStatementSyntax ds:
                output.Add(new LoopStmt(LoopKind.Do, EquatableArray<Stmt>.Empty, _expressions.Parse(ds.Condition),
                    EquatableArray<Stmt>.Empty, ParseNested(ds.Statement),
                    Header(ds, "do ... while (" + SourceText.OneLine(ds.Condition.ToString()) + ")")));
                break;
            case BreakStatementSyntax:
                output.Add(new BreakStmt(SourceText.Of(statement)));
                break;
            case ContinueStatementSyntax:
                output.Add(new ContinueStmt(SourceText.Of(statement)));
                break;
            case ReturnStatementSyntax ret when ret.Expression is not null:
                output.Add(new ReturnStmt(_expressions.Parse(ret.Expression), SourceText.Of(statement)));
                if (_ctx.Depth > 0) _earlyReturnSeen = true;
                break;
            case TryStatementSyntax t:
                _ctx.Diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ExceptionHandling, LocationInfo.From(t.TryKeyword.GetLocation()), "try"));
                break;
            case ThrowStatementSyntax:
                _ctx.Report(DiagnosticDescriptors.ExceptionHandling, statement, "throw");
                break;
            case GotoStatementSyntax or LabeledStatementSyntax:
                _ctx.Report(DiagnosticDescriptors.Goto, statement, SourceText.OneLine(statement.ToString()));
                break;
            case LocalFunctionStatementSyntax lf:
                _ctx.Report(DiagnosticDescriptors.LambdaOrLocalFunction, lf, $"Local function '{lf.Identifier.Text}'");
                break;
            case UnsafeStatementSyntax or FixedStatementSyntax:
                _ctx.Report(DiagnosticDescriptors.Unsafe, statement, SourceText.OneLine(statement.ToString()));
                break;
            case CommonForEachStatementSyntax:
                ReportStatement(statement, "foreach is not supported; loop over the indices with for (int i = 0; i < a.Length; i++)");
                break;
            case SwitchStatementSyntax:
                ReportStatement(statement, "switch is not supported; use if / else if / else");
                break;
            case CheckedStatementSyntax:
                ReportStatement(statement, "checked and unchecked blocks are not supported; write their statements without the block");
                break;
            case LockStatementSyntax or UsingStatementSyntax:
                ReportStatement(statement, "lock and using are not supported in a [Differentiable] method; do this around the call instead");
                break;
            default:
                ReportStatement(statement, "this kind of statement cannot be differentiated");
                break;
        }
    }

    private void ReportStatement(StatementSyntax statement, string why) =>
        _ctx.Report(DiagnosticDescriptors.UnsupportedStatement, statement, SourceText.OneLine(FirstLine(statement)), why);

    private static string FirstLine(StatementSyntax s)
    {
        string text = s.ToString();
        int nl = text.IndexOf('\n');
        return nl < 0 ? text : text.Substring(0, nl);
    }

    private static SourceInfo Header(SyntaxNode node, string text) => new(LocationInfo.From(node)?.Line ?? 0, text, LocationInfo.From(node));

    private void ParseFor(ForStatementSyntax fs, List<Stmt> output)
    {
        var init = new List<Stmt>();
        _ctx.Depth++;
        if (fs.Declaration is not null) ParseVariables(fs.Declaration, fs, init);
        foreach (ExpressionSyntax e in fs.Initializers) ParseExpressionStatement(e, fs, init);
        var step = new List<Stmt>();
        foreach (ExpressionSyntax e in fs.Incrementors) ParseExpressionStatement(e, fs, step);
        Expr? condition = fs.Condition is null ? null : _expressions.Parse(fs.Condition);
        _ctx.Depth--;
        string header = "for (" + SourceText.OneLine(fs.Declaration?.ToString() ?? string.Join(", ", fs.Initializers)) + "; " +
                        SourceText.OneLine(fs.Condition?.ToString() ?? string.Empty) + "; " +
                        SourceText.OneLine(string.Join(", ", fs.Incrementors)) + ")";
        output.Add(new LoopStmt(LoopKind.For, init.ToEquatableArray(), condition, step.ToEquatableArray(),
            ParseNested(fs.Statement), Header(fs, header)));
    }

    private void ParseDeclaration(LocalDeclarationStatementSyntax decl, List<Stmt> output)
    {
        if (decl.IsConst) return; // constants are folded where they are read
        if (decl.UsingKeyword != default)
        {
            ReportStatement(decl, "'using' declarations are not supported");
            return;
        }
        ParseVariables(decl.Declaration, decl, output);
    }

    private void ParseVariables(VariableDeclarationSyntax declaration, SyntaxNode statement, List<Stmt> output)
    {
        foreach (VariableDeclaratorSyntax v in declaration.Variables)
        {
            if (_ctx.Model.GetDeclaredSymbol(v, _ctx.CancellationToken) is not ILocalSymbol local)
            {
                throw new SourceDoesNotCompileException();
            }
            if (TypeMapper.IsObjectOrDynamic(local.Type))
            {
                _ctx.Report(DiagnosticDescriptors.ObjectOrDynamic, v, SourceText.OneLine(statement.ToString()));
                continue;
            }
            if (TypeMapper.IsPointer(local.Type))
            {
                _ctx.Report(DiagnosticDescriptors.Unsafe, v, SourceText.OneLine(statement.ToString()));
                continue;
            }
            string name = _ctx.LocalName(local);
            TypeRef type = TypeMapper.Map(local.Type);
            var target = new VariableExpr(name, type);
            SourceInfo source = SourceText.Of(statement is LocalDeclarationStatementSyntax ? statement : v);
            if (v.Initializer is null)
            {
                if (type.IsBuffer)
                {
                    _ctx.Report(DiagnosticDescriptors.UnsupportedStatement, v, SourceText.OneLine(statement.ToString()),
                        "declare arrays and spans with an initializer: 'var a = new double[n];'");
                }
                continue;
            }
            if (type.Shape == ShapeKind.Tensor &&
                v.Initializer.Value.Kind() is SyntaxKind.NullLiteralExpression or SyntaxKind.DefaultLiteralExpression)
            {
                // 'Tensor? h = null;' before assignments in branches: as 'Tensor h;' (the value is never read).
                continue;
            }
            Expr value = ParseInitializer(v.Initializer.Value, type, name);
            if (type.IsRealBuffer && value is OpaqueCallExpr { Method: "ToArray", Receiver.Type.IsRealBuffer: true })
            {
                // A copy whose elements would carry no derivative (AG0012's "memory this method did not allocate" was no reason).
                _ctx.Report(DiagnosticDescriptors.UnsupportedStatement, v, SourceText.OneLine(statement.ToString()),
                    "ToArray copies the values where the generator cannot follow their derivative; declare 'var c = new double[n];' and copy the elements in a loop");
                continue;
            }
            if (type.Shape == ShapeKind.TensorArray && UnsupportedTensorArrayLocal(value) is string why)
            {
                _ctx.Report(DiagnosticDescriptors.UnsupportedStatement, v, SourceText.OneLine(statement.ToString()), why);
                continue;
            }
            if ((type.IsBuffer || value is AllocationExpr) && (_ctx.Depth > 0 || _earlyReturnSeen))
            {
                // After an early return the rest of the method runs under a guard, like a branch.
                // 'var tmp = cur;' makes no array, but is a second name for one, which the analyses need fixed too.
                string alias = value is VariableExpr { Type.IsBuffer: true } other ? $" (as a second name for '{other.Name}')" : string.Empty;
                _ctx.Report(DiagnosticDescriptors.LocalArrayPlacement, v, v.Identifier.Text,
                    alias + (_ctx.Depth > 0 ? " inside a loop or branch" : " after a 'return' that can end the method early"),
                    _ctx.Depth == 0
                        ? "declare it before the first 'return' (what follows an early return runs only when it did not)"
                        : alias.Length > 0
                            ? "declare every name of an array once at the top level; to swap two arrays' roles, index them by a flag or copy the elements"
                        : value is TensorDataExpr
                            // A span of a tensor each iteration computes cannot be made once before the loop.
                            ? "reduce the tensor with ops inside the loop instead (Nn.Sum, Nn.Mean, Nn.Mul with a mask), or keep it and read its span after the loop"
                            : "create it once at the top level of the method (before the loop) and overwrite its elements instead");
            }
            if (type.IsBuffer && ParameterViewed(value) is string viewed) _parameterViews[name] = viewed;
            if (type.IsBuffer && ViewsOutsideMemory(value)) _outsideViews.Add(name);
            if (type.IsBuffer && value is OpaqueCallExpr call && Exprs.Viewed(call) is SliceExpr) _viewsOfViews.Add(name);
            if (type.IsBuffer && TensorViewed(value) is string tensor) _tensorViews[name] = tensor;
            output.Add(new AssignStmt(target, value, IsDeclaration: true, source));
        }
    }

    // A return inside a branch or loop has been parsed: the top-level code after it runs conditionally.
    private bool _earlyReturnSeen;

    /// <summary>Local spans over a parameter's elements (<c>var s = w.Span;</c>, <c>w.AsSpan(i, n)</c>), by the parameter's name.</summary>
    private readonly Dictionary<string, string> _parameterViews = new(StringComparer.Ordinal);

    /// <summary>
    /// Local arrays and spans over memory the method did not allocate and that is not a parameter: a static table
    /// (<c>double[] c = Coeffs;</c>, <c>Coeffs.AsSpan(1, 2)</c>), a field, what a method returned. Writing through
    /// them would change that memory for every later call.
    /// </summary>
    private readonly HashSet<string> _outsideViews = new(StringComparer.Ordinal);

    /// <summary>Local spans made by a call on a view (<c>b.AsSpan(1, 2).Slice(0, 1)</c>), which the generator does not
    /// follow back to the array: writing through them is refused with that reason.</summary>
    private readonly HashSet<string> _viewsOfViews = new(StringComparer.Ordinal);

    private bool ViewsOutsideMemory(Expr value) => value switch
    {
        // a.AsSpan() or a.AsSpan(i) of a local array views that array; other calls return memory of their own.
        OpaqueCallExpr call when Exprs.Viewed(call) is VariableExpr viewed => ViewsOutsideMemory(viewed),
        OpaqueValueExpr or OpaqueMemberExpr or OpaqueCallExpr => true,
        VariableExpr v => _outsideViews.Contains(v.Name),
        SliceExpr slice => _outsideViews.Contains(slice.Buffer.Name),
        _ => false,
    };

    /// <summary>Local spans over a tensor variable's elements (<c>var hs = h.Span;</c>), by the tensor's name.</summary>
    private readonly Dictionary<string, string> _tensorViews = new(StringComparer.Ordinal);

    private string? TensorViewed(Expr value) => value switch
    {
        TensorDataExpr data => data.Tensor.Name,
        VariableExpr v => _tensorViews.TryGetValue(v.Name, out string? t) ? t : null,
        SliceExpr slice => _tensorViews.TryGetValue(slice.Buffer.Name, out string? t) ? t : null,
        _ => null,
    };

    /// <summary>
    /// Why a local <c>Tensor[]</c> with this initializer is refused, or null: the backward pass keeps one adjoint per
    /// element of a differentiable <c>Tensor[]</c> parameter, which a copy under another name or a new array has not.
    /// </summary>
    private string? UnsupportedTensorArrayLocal(Expr value)
    {
        if (value is AllocationExpr)
        {
            return "a local Tensor[] is not supported; keep each value in a Tensor variable of its own, or reassign one " +
                "variable in a loop ('h = Nn.Tanh(Nn.Linear(h, w[l], b[l]));')";
        }
        if (value is VariableExpr source && _ctx.Method.Parameters.FirstOrDefault(p => p.Name == source.Name) is { } parameter &&
            !CalleeResolver.HasAttribute(parameter, CalleeResolver.NoGradAttribute))
        {
            return $"a copy of the differentiable Tensor[] parameter '{source.Name}' is not supported; index '{source.Name}' directly";
        }
        return null;
    }

    /// <summary>The parameter whose elements <paramref name="value"/> views, if it is a view of one.</summary>
    private string? ParameterViewed(Expr value)
    {
        string? buffer = value switch
        {
            VariableExpr v => v.Name,
            SliceExpr slice => slice.Buffer.Name,
            TensorDataExpr data => data.Tensor.Name,
            _ => null,
        };
        if (buffer is null) return null;
        if (_parameterViews.TryGetValue(buffer, out string? viewed)) return viewed;
        return _ctx.Method.Parameters.Any(p => p.Name == buffer) ? buffer : null;
    }

    private Expr ParseInitializer(ExpressionSyntax value, TypeRef type, string name)
    {
        ExpressionSyntax inner = value is CastExpressionSyntax { Expression: var e } cast && TypeMapper.Map(_ctx.Model.GetTypeInfo(cast).Type).IsBuffer ? e : value;
        switch (inner)
        {
            case ArrayCreationExpressionSyntax create when create.Type.RankSpecifiers.Count > 1 || create.Type.RankSpecifiers[0].Rank > 1:
                _ctx.Report(DiagnosticDescriptors.UnsupportedExpression, value, SourceText.OneLine(value.ToString()),
                    "multidimensional and jagged arrays are not supported; use a one-dimensional array indexed a[i * columns + j]");
                return new LiteralExpr("default", type);
            case ArrayCreationExpressionSyntax { Initializer: null } create when SingleSize(create.Type) is { } size:
                return new AllocationExpr(AllocationKind.NewArray, _expressions.Parse(size), type);
            case StackAllocArrayCreationExpressionSyntax { Initializer: null, Type: ArrayTypeSyntax arrayType } when SingleSize(arrayType) is { } size:
                return new AllocationExpr(AllocationKind.StackAlloc, _expressions.Parse(size), type);
            case ArrayCreationExpressionSyntax or StackAllocArrayCreationExpressionSyntax or ImplicitArrayCreationExpressionSyntax
                or ImplicitStackAllocArrayCreationExpressionSyntax or CollectionExpressionSyntax or InitializerExpressionSyntax:
                _ctx.Report(DiagnosticDescriptors.UnsupportedExpression, value, SourceText.OneLine(value.ToString()),
                    $"create '{name}' with a size only ('new double[n]' or 'stackalloc double[n]') and assign its elements in statements");
                return new LiteralExpr("default", type);
            default:
                return _expressions.Parse(value);
        }
    }

    private static ExpressionSyntax? SingleSize(ArrayTypeSyntax type) =>
        type.RankSpecifiers.Count == 1 && type.RankSpecifiers[0].Sizes.Count == 1 &&
        type.RankSpecifiers[0].Sizes[0] is not OmittedArraySizeExpressionSyntax
            ? type.RankSpecifiers[0].Sizes[0]
            : null;

    private void ParseExpressionStatement(ExpressionSyntax expression, SyntaxNode statement, List<Stmt> output)
    {
        SourceInfo source = statement is ExpressionStatementSyntax ? SourceText.Of(statement) : SourceText.Of(expression);
        switch (expression)
        {
            case AssignmentExpressionSyntax assign:
                ParseAssignment(assign, source, output);
                break;
            case PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PostIncrementExpression or (int)SyntaxKind.PostDecrementExpression } post:
                ParseIncrement(post.Operand, post.IsKind(SyntaxKind.PostIncrementExpression), source, output);
                break;
            case PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PreIncrementExpression or (int)SyntaxKind.PreDecrementExpression } pre:
                ParseIncrement(pre.Operand, pre.IsKind(SyntaxKind.PreIncrementExpression), source, output);
                break;
            case InvocationExpressionSyntax:
                _ctx.Report(DiagnosticDescriptors.UnsupportedStatement, expression, SourceText.OneLine(expression.ToString()),
                    "a call used as a statement may have side effects the gradient cannot see; assign its result to a variable, or call it outside the differentiable method");
                break;
            default:
                _ctx.Report(DiagnosticDescriptors.UnsupportedStatement, expression, SourceText.OneLine(expression.ToString()),
                    "only assignments, compound assignments and ++/-- can be used as statements");
                break;
        }
    }

    private void ParseIncrement(ExpressionSyntax operand, bool increment, SourceInfo source, List<Stmt> output)
    {
        Expr? target = ParseTarget(operand);
        if (target is null) return;
        var one = LiteralFormatter.Of(1, target.Type);
        output.Add(new AssignStmt(target, new BinaryExpr(increment ? BinaryOp.Add : BinaryOp.Subtract, target, one, target.Type), false, source));
    }

    private void ParseAssignment(AssignmentExpressionSyntax assign, SourceInfo source, List<Stmt> output)
    {
        Expr? target = ParseTarget(assign.Left);
        if (target is null) return;
        Expr right = _expressions.Parse(assign.Right);
        if (assign.IsKind(SyntaxKind.SimpleAssignmentExpression))
        {
            if (target.Type.IsBuffer && target is VariableExpr)
            {
                _ctx.Report(DiagnosticDescriptors.UnsupportedStatement, assign, SourceText.OneLine(assign.ToString()),
                    "arrays and spans cannot be reassigned; overwrite their elements instead");
                return;
            }
            output.Add(new AssignStmt(target, right, false, source));
            return;
        }
        BinaryOp? op = assign.Kind() switch
        {
            SyntaxKind.AddAssignmentExpression => BinaryOp.Add,
            SyntaxKind.SubtractAssignmentExpression => BinaryOp.Subtract,
            SyntaxKind.MultiplyAssignmentExpression => BinaryOp.Multiply,
            SyntaxKind.DivideAssignmentExpression => BinaryOp.Divide,
            SyntaxKind.ModuloAssignmentExpression when !target.Type.IsRealElement => BinaryOp.Modulo,
            SyntaxKind.AndAssignmentExpression when !target.Type.IsRealElement => BinaryOp.BitwiseAnd,
            SyntaxKind.OrAssignmentExpression when !target.Type.IsRealElement => BinaryOp.BitwiseOr,
            SyntaxKind.ExclusiveOrAssignmentExpression when !target.Type.IsRealElement => BinaryOp.BitwiseXor,
            SyntaxKind.LeftShiftAssignmentExpression when !target.Type.IsRealElement => BinaryOp.ShiftLeft,
            SyntaxKind.RightShiftAssignmentExpression when !target.Type.IsRealElement => BinaryOp.ShiftRight,
            SyntaxKind.UnsignedRightShiftAssignmentExpression when !target.Type.IsRealElement => BinaryOp.UnsignedShiftRight,
            _ => null,
        };
        if (op is null)
        {
            _ctx.Report(DiagnosticDescriptors.UnsupportedStatement, assign, SourceText.OneLine(assign.ToString()),
                $"the operator '{assign.OperatorToken.Text}' is not supported here" + (assign.IsKind(SyntaxKind.ModuloAssignmentExpression)
                    ? "; for the remainder of floating-point values write 'y = y - Math.Truncate(y / m) * m', which is what % computes"
                    : "; write the operation out ('x = x op y') with the operators and Math functions the generator differentiates"));
            return;
        }
        // C# evaluates 'x op= y' as 'x = (T)(x op y)' in the wider of the two types; a shift in the type of x, by an int.
        bool shift = op is BinaryOp.ShiftLeft or BinaryOp.ShiftRight or BinaryOp.UnsignedShiftRight;
        if (shift)
        {
            // byte, short and char shift as int, so the result is cast back as C# does ('b >>>= 1' is 'b = (byte)(b >>> 1)').
            bool narrow = target.Type.Display is "byte" or "sbyte" or "short" or "ushort" or "char";
            Expr shifted = new BinaryExpr(op.Value, target, right, narrow ? TypeRef.Int : target.Type);
            output.Add(new AssignStmt(target, narrow ? new CastExpr(shifted, target.Type) : shifted, false, source));
            return;
        }
        TypeRef opType = Wider(target.Type, right.Type);
        Expr left = target.Type.Equals(opType) ? target : new CastExpr(target, opType);
        if (!right.Type.Equals(opType)) right = new CastExpr(right, opType);
        Expr value = new BinaryExpr(op.Value, left, right, opType);
        if (!opType.Equals(target.Type)) value = new CastExpr(value, target.Type);
        output.Add(new AssignStmt(target, value, false, source));
    }

    private static TypeRef Wider(TypeRef a, TypeRef b)
    {
        if (a.Element == ScalarKind.Double || b.Element == ScalarKind.Double) return TypeRef.Double;
        if (a.Element == ScalarKind.Float || b.Element == ScalarKind.Float) return TypeRef.Float;
        return a;
    }

    private const string FieldWriteFix = "use a local variable and return the value";

    /// <summary>The left side of an assignment: a local, a scalar parameter, or an element of a local buffer.</summary>
    private Expr? ParseTarget(ExpressionSyntax syntax)
    {
        ISymbol? symbol = _ctx.Model.GetSymbolInfo(syntax, _ctx.CancellationToken).Symbol;
        if (symbol is IFieldSymbol or IPropertySymbol && syntax is not ElementAccessExpressionSyntax)
        {
            _ctx.Report(DiagnosticDescriptors.FieldOrPropertyWrite, syntax, SourceText.OneLine(syntax.ToString()), FieldWriteFix);
            return null;
        }
        switch (syntax)
        {
            case IdentifierNameSyntax when symbol is IDiscardSymbol:
                return Reject(syntax);
            case IdentifierNameSyntax:
            case ParenthesizedExpressionSyntax:
                if (symbol is IParameterSymbol { Type: var pt } && TypeMapper.Map(pt).IsTensorLike)
                {
                    _ctx.Report(DiagnosticDescriptors.ParameterWrite, syntax, SourceText.OneLine(syntax.ToString()), symbol.Name,
                        $"assign to a local instead: 'var h = {symbol.Name};' before the first assignment, then use h");
                    return null;
                }
                return _expressions.Parse(syntax) is VariableExpr v ? v : Reject(syntax);
            case ElementAccessExpressionSyntax element:
                Expr parsed = _expressions.Parse(element);
                if (parsed is not ElementExpr e) return null;
                if (ParameterViewed(e.Buffer) is string parameter)
                {
                    _ctx.Report(DiagnosticDescriptors.ParameterWrite, syntax, SourceText.OneLine(syntax.ToString()), parameter,
                        "copy it into a local array (new T[n] or stackalloc) and write there");
                    return null;
                }
                if (e.Buffer.Type.Shape == ShapeKind.TensorArray)
                {
                    _ctx.Report(DiagnosticDescriptors.UnsupportedStatement, syntax, SourceText.OneLine(syntax.ToString()),
                        "the elements of a Tensor[] cannot be assigned; keep each value in a Tensor variable of its own");
                    return null;
                }
                if (_tensorViews.TryGetValue(e.Buffer.Name, out string? tensor))
                {
                    // The op that produced the tensor may read its output in its pullback (tanh, sigmoid, ReLU do).
                    _ctx.Report(DiagnosticDescriptors.UnsupportedExpression, syntax, SourceText.OneLine(syntax.ToString()),
                        $"'{e.Buffer.Name}' views the elements of tensor '{tensor}', which the backward pass reads as they were computed; " +
                        "compute new values with ops (Nn.Scale, Nn.Mul, Nn.Add) or copy them into a local array and write there");
                    return null;
                }
                if (_viewsOfViews.Contains(e.Buffer.Name))
                {
                    _ctx.Report(DiagnosticDescriptors.UnsupportedExpression, syntax, SourceText.OneLine(syntax.ToString()),
                        $"'{e.Buffer.Name}' is a view of a view, which the generator does not follow back to its array; take the view " +
                        "from the array (or a span variable) in one call: 'b.AsSpan(start, length)' or 's.Slice(start, length)'");
                    return null;
                }
                if (_outsideViews.Contains(e.Buffer.Name))
                {
                    _ctx.Report(DiagnosticDescriptors.FieldOrPropertyWrite, syntax, SourceText.OneLine(syntax.ToString()),
                        $"'{e.Buffer.Name}' views memory this method did not allocate; copy the values into a local array ('new double[n]') and write there");
                    return null;
                }
                return e;
            default:
                if (symbol is IFieldSymbol or IPropertySymbol)
                {
                    _ctx.Report(DiagnosticDescriptors.FieldOrPropertyWrite, syntax, SourceText.OneLine(syntax.ToString()), FieldWriteFix);
                    return null;
                }
                return Reject(syntax);
        }
    }

    private Expr? Reject(ExpressionSyntax syntax)
    {
        _ctx.Report(DiagnosticDescriptors.UnsupportedStatement, syntax, SourceText.OneLine(syntax.ToString()),
            syntax is TupleExpressionSyntax or DeclarationExpressionSyntax
                ? "tuple deconstruction is not supported; assign each variable in a statement of its own"
                : syntax is IdentifierNameSyntax { Identifier.Text: "_" }
                    ? "a discard ('_ = ...') computes nothing that is used; drop the statement"
                    : "only locals, parameters and elements of local arrays can be assigned");
        return null;
    }
}
