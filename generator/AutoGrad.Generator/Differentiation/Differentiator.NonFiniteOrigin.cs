using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generator.Common;
using AutoGrad.Generator.Model;
using static AutoGrad.Generator.Differentiation.Exprs;

namespace AutoGrad.Generator.Differentiation;

/// <summary>
/// Where a NaN or ∞ started, for code whose intermediate values are gone by the time the loss is seen: scalar
/// statements overwrite their locals, and a loop keeps only its last iteration's. The generator writes a second,
/// checked copy of the forward computation, <c>{Method}NonFiniteOrigin</c>, which the probed gradient calls only when
/// the loss came out non-finite: it runs the method's statements in order (ops as plain calls), and after each one
/// that computes a real value or a tensor op's output it checks the value; the first that is not finite is noted
/// (<c>probes.NoteNonFinite</c>) with whether the values it read were finite, and the copy returns. A healthy step
/// never runs it, and an unprobed one never even tests the loss. Tensor methods made of ops alone keep the cheaper
/// walk over the outputs the workspace still holds (<see cref="NonFiniteDiagnosis"/>).
/// </summary>
internal sealed partial class Differentiator
{
    /// <summary>Each op's probe site, by the temporary that holds its result.</summary>
    private readonly Dictionary<string, int> _opSiteOfResult = new();

    private string NonFiniteOriginName => _spec.Name + "NonFiniteOrigin";

    /// <summary>
    /// A statement that computes a real scalar (not a copy of one): where a NaN can start outside an op
    /// (<c>Math.Log(p - 1000)</c>, <c>s / n</c> with n = 0, an overflowing product).
    /// </summary>
    private bool IsScalarComputation(AssignStmt s) =>
        s.Target.Type.IsRealScalar && !IsTensorOpStatement(s) && s.Value is not (VariableExpr or ElementExpr or LiteralExpr);

    /// <summary>
    /// True when the method needs the checked copy: it has scalar computations, or tensor ops and a loop. The search
    /// over the ops' saved outputs cannot order a loop's ops by iteration (an op in a branch, after a continue or in an
    /// inner loop saves at another rate than the loop runs), nor tell which inputs an iteration read (a tensor assigned
    /// in the loop, one element of a [NoGrad] array), and blamed the wrong op (review helper-81); the checked copy reruns
    /// the method statement by statement, only on a step whose loss is not finite.
    /// </summary>
    private bool NeedsNonFiniteOrigin(IReadOnlyList<Stmt> body) =>
        StmtQueries.Assignments(body).Any(IsScalarComputation) || _tensorMode && _opChecks.Count > 0 && HasLoop(body);

    private static bool HasLoop(IEnumerable<Stmt> stmts) => stmts.Any(s => s switch
    {
        LoopStmt => true,
        IfStmt i => HasLoop(i.Then) || HasLoop(i.Else),
        _ => false,
    });

    /// <summary>
    /// The checked copy's body (locals declared first; returns true once it has noted a site, false if every value
    /// came out finite). Adds a probe site per scalar computation, named by its source statement.
    /// </summary>
    private List<CodeStmt> NonFiniteOriginBody(IReadOnlyList<Stmt> body, IEnumerable<LocalSpec> locals)
    {
        VariableExpr inputs = Var(_names.Name("_inputsFinite"), TypeRef.Bool);
        List<CodeStmt> statements = Checked(body, inputs, loopDepth: 0);
        statements.Add(new CodeReturn(new LiteralExpr("false", TypeRef.Bool)));
        var referenced = new HashSet<string>();
        CodeWalker.CollectNames(statements, referenced);
        var code = new List<CodeStmt>();
        foreach (LocalSpec l in locals.Where(l => !l.Type.IsBuffer && referenced.Contains(l.Name)))
        {
            code.Add(new CodeDeclare(l.Type.Display, l.Name, new LiteralExpr(l.Type.Shape == ShapeKind.Scalar ? "default" : "default!", l.Type)));
        }
        if (referenced.Contains(inputs.Name)) code.Add(new CodeDeclare("bool", inputs.Name, new LiteralExpr("true", TypeRef.Bool)));
        code.AddRange(statements);
        return code;
    }

    private List<CodeStmt> Checked(IEnumerable<Stmt> stmts, VariableExpr inputs, int loopDepth)
    {
        var code = new List<CodeStmt>();
        foreach (Stmt s in stmts)
        {
            switch (s)
            {
                case AssignStmt { Target: VariableExpr { Type.IsBuffer: true } buffer } a:
                    code.Add(new CodeDeclare(buffer.Type.Display, buffer.Name, a.Value));
                    break;
                case AssignStmt a when IsTensorOpStatement(a) && _opSiteOfResult.TryGetValue(((VariableExpr)a.Target).Name, out int opSite):
                    var call = (PrimitiveCallExpr)a.Value;
                    CheckedAssignment(a, opSite, call.Arguments.Where(x => (x.Type.IsTensorLike || x.Type.IsRealScalar) && x is not LiteralExpr), inputs, code);
                    break;
                case AssignStmt a when IsScalarComputation(a):
                    int site = AddSite(StatementSiteName(a.Source), "Operation", 0, "None", a.Source.Line, loopDepth > 0);
                    CheckedAssignment(a, site, ScalarReads(a.Value), inputs, code);
                    break;
                case AssignStmt a:
                    code.Add(new CodeAssign(a.Target, a.Value, false));
                    break;
                case IfStmt i:
                    code.Add(new CodeIf(i.Condition, Checked(i.Then, inputs, loopDepth).ToEquatableArray(), Checked(i.Else, inputs, loopDepth).ToEquatableArray()));
                    break;
                case LoopStmt l:
                    code.AddRange(CheckedLoop(l, inputs, loopDepth + 1));
                    break;
            }
        }
        return code;
    }

    /// <summary>
    /// <c>inputs = all read values finite; target = value; if (!finite(target)) { note the site; return true; }</c>.
    /// The inputs are tested first: the statement may overwrite one (<c>x = Math.Log(x)</c>).
    /// </summary>
    private void CheckedAssignment(AssignStmt a, int site, IEnumerable<Expr> reads, VariableExpr inputs, List<CodeStmt> code)
    {
        code.Add(Describe(a.Source));
        List<Expr> read = reads.Distinct().ToList();
        code.Add(new CodeAssign(inputs, read.Count == 0 ? new LiteralExpr("true", TypeRef.Bool) : read.Select(Finite).Aggregate(And), false));
        code.Add(new CodeAssign(a.Target, a.Value, false));
        code.Add(new CodeIf(Not(Finite(a.Target)),
            EquatableArray.Of<CodeStmt>(
                new CodeExpression(Call(Probes, "NoteNonFinite", TypeRef.Int, Lit(site, TypeRef.Int), inputs)),
                new CodeReturn(new LiteralExpr("true", TypeRef.Bool))),
            EquatableArray<CodeStmt>.Empty));
    }

    private IEnumerable<CodeStmt> CheckedLoop(LoopStmt loop, VariableExpr inputs, int loopDepth) =>
        LoopCode(loop, Checked(loop.Init, inputs, loopDepth - 1), Checked(loop.Body, inputs, loopDepth), Checked(loop.Step, inputs, loopDepth), count: null);

    /// <summary>
    /// The real scalars a value reads that are safe to evaluate before it: variables, and elements outside a
    /// <c>?:</c> (whose untaken branch may index out of range) and outside the right side of <c>&amp;&amp;</c>/<c>||</c>.
    /// </summary>
    private static IEnumerable<Expr> ScalarReads(Expr e)
    {
        switch (e)
        {
            case VariableExpr or ElementExpr when e.Type.IsRealScalar:
                yield return e;
                yield break;
            case ConditionalExpr:
                yield break;
            case BinaryExpr { Op: BinaryOp.And or BinaryOp.Or } b:
                foreach (Expr r in ScalarReads(b.Left)) yield return r;
                yield break;
        }
        IEnumerable<Expr> children = e switch
        {
            UnaryExpr u => new[] { u.Operand },
            BinaryExpr b => new[] { b.Left, b.Right },
            CastExpr c => new[] { c.Operand },
            MathCallExpr m => m.Arguments,
            PrimitiveCallExpr p => p.Arguments,
            OpaqueCallExpr o => o.Arguments,
            _ => System.Array.Empty<Expr>(),
        };
        foreach (Expr child in children)
        {
            foreach (Expr r in ScalarReads(child)) yield return r;
        }
    }

    /// <summary>The statement's text without its unroll note and semicolon, with the unrolled indices (<c>s += x[i] [3]</c>).</summary>
    private static string StatementSiteName(SourceInfo source)
    {
        string text = UnrollNote.Replace(source.Text, string.Empty).Trim().TrimEnd(';').Trim();
        return SiteName(text, source);
    }

    /// <summary>
    /// The call that runs the checked copy when the loss is not finite, with the method's arguments (scalar parameters
    /// the body overwrites are passed as they were on entry, from <paramref name="entryValues"/>).
    /// </summary>
    private CodeStmt NonFiniteOriginCall(IReadOnlyDictionary<string, VariableExpr> entryValues)
    {
        var args = _spec.Parameters.Select(p => entryValues.TryGetValue(p.Name, out VariableExpr? saved) ? saved : (Expr)Var(p.Name, p.Type)).ToList();
        args.Add(Probes);
        Expr resultFinite = Static(_spec.ReturnType.ElementKeyword + ".IsFinite", TypeRef.Bool, _result);
        return new CodeIf(And(Compare(BinaryOp.NotEqual, Probes, new LiteralExpr("null", OpaqueType)), Not(resultFinite)),
            EquatableArray.Of<CodeStmt>(new CodeExpression(Static(NonFiniteOriginName, TypeRef.Bool, args.ToArray()))),
            EquatableArray<CodeStmt>.Empty);
    }
}
