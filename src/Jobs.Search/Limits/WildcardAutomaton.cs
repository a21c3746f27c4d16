namespace Jobs.Search.Limits;

/// <summary>
/// Counts the states of the deterministic automaton of a wildcard pattern by the subset
/// construction, stopping past a limit. The pattern's positions are bits: a state is the set of
/// positions reached; a step on a character keeps the positions at a <c>*</c> and advances those
/// at <c>?</c> or at that character. Characters the pattern does not name behave alike, so the
/// alphabet is the pattern's characters plus one "any other".
/// </summary>
internal static class WildcardAutomaton
{
    public static int CountStates(string pattern, int limit)
    {
        var (stars, any, literals) = Positions(pattern, out var length);
        var words = (length + 1 + 63) / 64;
        var start = new ulong[words];
        start[0] = 1;
        Close(start, stars);
        var seen = new HashSet<ulong[]>(BitsComparer.Instance) { start };
        var pending = new Queue<ulong[]>();
        pending.Enqueue(start);
        var symbols = literals.Values.Append(new ulong[words]).ToList(); // every literal, then "any other"
        while (pending.Count > 0)
        {
            var state = pending.Dequeue();
            foreach (var literal in symbols)
            {
                var next = new ulong[words];
                var empty = true;
                for (var w = 0; w < words; w++)
                {
                    var stay = state[w] & stars[w];
                    var move = state[w] & (any[w] | literal[w]);
                    var carry = w > 0 ? (state[w - 1] & (any[w - 1] | literal[w - 1])) >> 63 : 0;
                    next[w] = stay | (move << 1) | carry;
                    empty &= next[w] == 0;
                }

                if (empty)
                {
                    continue;
                }

                Close(next, stars);
                if (seen.Add(next))
                {
                    if (seen.Count > limit)
                    {
                        return seen.Count;
                    }

                    pending.Enqueue(next);
                }
            }
        }

        return seen.Count;
    }

    /// <summary>Position masks: where a <c>*</c> is, where a <c>?</c> is, and where each literal character is.</summary>
    private static (ulong[] Stars, ulong[] Any, Dictionary<char, ulong[]> Literals) Positions(string pattern, out int length)
    {
        var tokens = new List<char?>(); // a character, or null for '?' and '*' (told apart by starAt)
        var starAt = new List<bool>();
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*')
            {
                if (starAt.Count == 0 || !starAt[^1])
                {
                    tokens.Add(null);
                    starAt.Add(true);
                }

                continue;
            }

            if (c == '\\' && i + 1 < pattern.Length)
            {
                c = pattern[++i];
                tokens.Add(c);
            }
            else
            {
                tokens.Add(c == '?' ? null : c);
            }

            starAt.Add(false);
        }

        length = tokens.Count;
        var words = (length + 1 + 63) / 64;
        ulong[] stars = new ulong[words], any = new ulong[words];
        var literals = new Dictionary<char, ulong[]>();
        for (var p = 0; p < tokens.Count; p++)
        {
            var bit = 1UL << (p % 64);
            if (starAt[p])
            {
                stars[p / 64] |= bit;
            }
            else if (tokens[p] is { } literal)
            {
                if (!literals.TryGetValue(literal, out var mask))
                {
                    literals[literal] = mask = new ulong[words];
                }

                mask[p / 64] |= bit;
            }
            else
            {
                any[p / 64] |= bit;
            }
        }

        return (stars, any, literals);
    }

    /// <summary>A position at a <c>*</c> also stands past it (runs of stars are one star).</summary>
    private static void Close(ulong[] state, ulong[] stars)
    {
        ulong carry = 0;
        for (var w = 0; w < state.Length; w++)
        {
            var atStar = state[w] & stars[w];
            var added = (atStar << 1) | carry;
            carry = atStar >> 63;
            state[w] |= added;
        }
    }

    private sealed class BitsComparer : IEqualityComparer<ulong[]>
    {
        public static BitsComparer Instance { get; } = new();

        public bool Equals(ulong[]? x, ulong[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(ulong[] bits)
        {
            var hash = new HashCode();
            foreach (var word in bits)
            {
                hash.Add(word);
            }

            return hash.ToHashCode();
        }
    }
}
