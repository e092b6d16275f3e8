using AutoGrad.Generator.Common;
using AutoGrad.Generator.Model;

namespace AutoGrad.Generator.Tests;

internal static class TestModels
{
    public static MethodSpec MethodWithInvalidAssignment()
    {
        var location = new LocationInfo("Broken.cs", 10, 4, 2, 3, 2, 7);
        var x = new VariableExpr("x", TypeRef.Double);
        var body = EquatableArray.Of<Stmt>(
            new AssignStmt(new LiteralExpr("1.0", TypeRef.Double), x, false, new SourceInfo(3, "1.0 = x;", location)),
            new ReturnStmt(new VariableExpr(string.Empty, TypeRef.Double), new SourceInfo(4, "return x;", location)));
        return new MethodSpec(null, EquatableArray.Of(new ContainingTypeSpec("class", "Broken", true)), "Loss", "public",
            "global::Broken.Loss", TypeRef.Double, EquatableArray.Of(new ParameterSpec("x", TypeRef.Double, false, "dX")),
            EquatableArray<LocalSpec>.Empty, body, "Broken.cs", 3, location);
    }
}
