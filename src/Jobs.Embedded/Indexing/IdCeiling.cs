using Lucene.Net.Index;
using Lucene.Net.Search;

namespace Jobs.Embedded.Indexing;

/// <summary>
/// The greatest job id in canonical UUID form (36 characters, lower-case hex in the 8-4-4-4-12
/// groups) the jobs index holds or has staged: what lets a create skip the id lookup over every
/// Lucene segment for an id that cannot exist. Ids the API makes (UUID v7, <c>JobIds.New</c>)
/// grow with time, so a new one is above every stored one and the create's existence check costs
/// one string comparison; any other id (below the ceiling, or not in that form: a client's or a
/// legacy id) is still looked up. Exact, not probabilistic: canonical ids compare ordinally as the
/// numbers they spell, an id above the ceiling equals none of them, and an id in another form
/// equals none of them either. The ceiling only rises (a write raises it before it can be read);
/// a commit records it, and an index committed without it is scanned once when it opens.
/// </summary>
internal sealed class IdCeiling
{
    public const string CommitKey = "max-canonical-id";

    private string? _greatest;

    /// <summary>The greatest canonical id seen so far (null: none).</summary>
    public string? Greatest => Volatile.Read(ref _greatest);

    /// <summary>Whether <paramref name="id"/> is certainly not in the index: canonical and above every canonical id in it.</summary>
    public bool IsAbove(string id) =>
        IsCanonical(id) && (Greatest is not { } greatest || string.CompareOrdinal(id, greatest) > 0);

    /// <summary>Records that the index holds (or is about to hold) <paramref name="id"/>.</summary>
    public void Raise(string id)
    {
        if (!IsCanonical(id))
        {
            return;
        }

        var current = Volatile.Read(ref _greatest);
        while (current is null || string.CompareOrdinal(id, current) > 0)
        {
            var seen = Interlocked.CompareExchange(ref _greatest, id, current);
            if (ReferenceEquals(seen, current))
            {
                return;
            }

            current = seen;
        }
    }

    /// <summary>
    /// The ceiling of an index opened from disk: the one its last commit recorded, or (an index
    /// committed before the ceiling existed) the greatest canonical id among its terms.
    /// </summary>
    public static IdCeiling Open(IDictionary<string, string> commitData, IndexSearcher searcher)
    {
        var ceiling = new IdCeiling();
        if (commitData.TryGetValue(CommitKey, out var recorded))
        {
            if (recorded.Length > 0)
            {
                ceiling.Raise(recorded);
            }

            return ceiling;
        }

        foreach (var leaf in searcher.IndexReader.Leaves)
        {
            var terms = leaf.AtomicReader.GetTerms(FieldCatalog.IdField);
            if (terms is null)
            {
                continue;
            }

            var enumerator = terms.GetEnumerator();
            while (enumerator.MoveNext())
            {
                var term = enumerator.Term;
                if (term.Length == 36)
                {
                    ceiling.Raise(term.Utf8ToString());
                }
            }
        }

        return ceiling;
    }

    /// <summary>8-4-4-4-12 lower-case hex digits, as <see cref="Guid.ToString(string)"/> with "D" writes them.</summary>
    public static bool IsCanonical(string id)
    {
        if (id.Length != 36)
        {
            return false;
        }

        for (var i = 0; i < id.Length; i++)
        {
            var c = id[i];
            var ok = i is 8 or 13 or 18 or 23 ? c == '-' : char.IsAsciiDigit(c) || c is >= 'a' and <= 'f';
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
