namespace AutoGrad.Tests.Scalar
{
    /// <summary>Two methods whose names differ only in case: their generated files need hints that differ otherwise.</summary>
    public static partial class CaseNames
    {
        [Differentiable] public static double F(double x) => x * x;

        [Differentiable] public static double f(double x) => x * x * x;
    }

    /// <summary>A generic containing type, called through a constructed one.</summary>
    public static partial class Generic<T>
    {
        public static partial class Inner
        {
            [Differentiable] public static double Square(double x) => x * x;
        }
    }

    /// <summary>Calls into keyword-named and generic types; a char constant; a local assigned and never read.</summary>
    public static partial class Callers
    {
        [Differentiable] public static double Calls(double x) => Generic<int>.Inner.Square(x) + Keywords.@class.@double(x);

        [Differentiable] public static double CharConstant(double x) => x * 'a';

        [Differentiable]
        public static double UnreadLocal(double x)
        {
#pragma warning disable CS0219 // on purpose: the generated copy must not warn either
            int unused = 0;
#pragma warning restore CS0219
            return x * x;
        }
    }
}

namespace AutoGrad.Tests.Scalar.Keywords
{
    /// <summary>A type and a method named with keywords.</summary>
    public static partial class @class
    {
        [Differentiable] public static double @double(double x) => x * 2;
    }
}
