using Xunit;

namespace AutoGrad.Tests.Scalar;

/// <summary>Declarations that once crashed the generator or produced code that did not compile (see Declarations.cs).</summary>
public class DeclarationTests
{
    [Fact]
    public void MethodsWhoseNamesDifferOnlyInCase()
    {
        Assert.Equal(4, CaseNames.FGradient(2, out double dF));
        Assert.Equal(4, dF);
        Assert.Equal(8, CaseNames.fGradient(2, out double df));
        Assert.Equal(12, df);
    }

    [Fact]
    public void CallsIntoKeywordNamedAndGenericTypes()
    {
        Assert.Equal(15, Callers.CallsGradient(3, out double d));
        Assert.Equal(8, d);
        Assert.Equal(6, Keywords.@class.@doubleGradient(3, out double k));
        Assert.Equal(2, k);
    }

    [Fact]
    public void CharConstantsAndUnreadLocals()
    {
        Assert.Equal(3.0 * 'a', Callers.CharConstantGradient(3, out double c));
        Assert.Equal('a', c);
        Assert.Equal(9, Callers.UnreadLocalGradient(3, out double u));
        Assert.Equal(6, u);
    }
}
