using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Jobs.Embedded.Indexing;

/// <summary>
/// Looks up many keys of one unique-key field (<c>_id</c>) at once: per segment one terms
/// enumeration and one postings enumeration, reused for every key, keys in order (the terms
/// dictionary's blocks loaded for one key serve the next). One lookup per key costs a new
/// enumeration per segment (a clone of the segment's input, its frames) for every key.
/// </summary>
internal static class TermLookups
{
    /// <summary>Each key's live document (the first, the field being unique) and its segment; keys must be sorted (ordinal).</summary>
    public static IEnumerable<(string Key, int Doc, AtomicReader Segment)> Find(IndexReader reader, string field, IReadOnlyList<string> sortedKeys)
    {
        var left = new List<string>(sortedKeys);
        var next = new List<string>(sortedKeys.Count);
        var term = new BytesRef();
        foreach (var leaf in reader.Leaves)
        {
            if (left.Count == 0)
            {
                yield break;
            }

            var segment = leaf.AtomicReader;
            var terms = segment.GetTerms(field);
            if (terms is null)
            {
                continue;
            }

            var termsEnum = terms.GetEnumerator();
            var live = segment.LiveDocs;
            DocsEnum? docs = null;
            next.Clear();
            foreach (var key in left)
            {
                term.CopyChars(key);
                var doc = DocIdSetIterator.NO_MORE_DOCS;
                if (termsEnum.SeekExact(term))
                {
                    docs = termsEnum.Docs(live, docs, DocsFlags.NONE);
                    doc = docs.NextDoc();
                }

                if (doc == DocIdSetIterator.NO_MORE_DOCS)
                {
                    next.Add(key);
                }
                else
                {
                    yield return (key, doc, segment);
                }
            }

            (left, next) = (next, left);
        }
    }
}
