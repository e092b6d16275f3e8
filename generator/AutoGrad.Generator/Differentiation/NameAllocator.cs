using System.Collections.Generic;
using System.Globalization;

namespace AutoGrad.Generator.Differentiation;

/// <summary>Hands out identifiers for generated locals that cannot clash with the user's names or each other.</summary>
internal sealed class NameAllocator
{
    private readonly HashSet<string> _used;

    public NameAllocator(IEnumerable<string> reserved) => _used = new HashSet<string>(reserved);

    /// <summary><paramref name="preferred"/> if free, else <c>preferred_1</c>, <c>preferred_2</c>, ...</summary>
    public string Name(string preferred)
    {
        if (_used.Add(preferred)) return preferred;
        for (int i = 1; ; i++)
        {
            string candidate = preferred + "_" + i.ToString(CultureInfo.InvariantCulture);
            if (_used.Add(candidate)) return candidate;
        }
    }

    /// <summary>A numbered name: <c>_t0</c>, <c>_t1</c>, ...</summary>
    public string Numbered(string prefix)
    {
        for (int i = 0; ; i++)
        {
            string candidate = prefix + i.ToString(CultureInfo.InvariantCulture);
            if (_used.Add(candidate)) return candidate;
        }
    }
}
