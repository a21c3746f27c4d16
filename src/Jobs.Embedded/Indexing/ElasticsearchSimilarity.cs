using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Util;

namespace Jobs.Embedded.Indexing;

/// <summary>
/// BM25 (k1 = 1.2, b = 0.75) exactly as Elasticsearch 8 scores it with Lucene 9, so that the
/// embedded store ranks text matches in the same order as a one-shard index would:
/// <list type="bullet">
/// <item>idf = ln(1 + (docCount − docFreq + 0.5) / (docFreq + 0.5)), with docCount the number of
/// documents that have the field (Lucene 4.8's BM25 uses maxDoc);</item>
/// <item>avgdl = sumTotalTermFreq / docCount (for fields indexed without frequencies, such as
/// keywords, sumDocFreq);</item>
/// <item>the field length is stored exactly up to 23 tokens and with 4 significant bits beyond
/// (Lucene 9's <c>SmallFloat.intToByte4</c>; Lucene 4.8 stores a lossy 1/√length);</item>
/// <item>score = boost · idf · freq / (freq + k1 · (1 − b + b · dl / avgdl)): no (k1 + 1) factor,
/// which matters once text scores are added to constant scores (filters, <c>constant_score</c>);</item>
/// <item>a field without norms (keyword, flattened) scores as if its length were 1.</item>
/// </list>
/// Coordination and query normalisation are neutral (1), as in Lucene 9.
/// </summary>
internal sealed class ElasticsearchSimilarity : Similarity
{
    private const float K1 = 1.2f;
    private const float B = 0.75f;

    /// <summary>Lengths below this are stored as themselves.</summary>
    private const int FreeValues = 24;

    private static readonly float[] LengthTable = BuildLengthTable();

    public override long ComputeNorm(FieldInvertState state) => EncodeLength(state.Length - state.NumOverlap);

    public override SimWeight ComputeWeight(float queryBoost, CollectionStatistics collectionStats, params TermStatistics[] termStats)
    {
        var docCount = collectionStats.DocCount > 0 ? collectionStats.DocCount : collectionStats.MaxDoc;
        double idf = 0;
        foreach (var stat in termStats)
        {
            idf += Idf(stat.DocFreq, docCount);
        }

        var total = collectionStats.SumTotalTermFreq >= 0 ? collectionStats.SumTotalTermFreq : collectionStats.SumDocFreq;
        var avgdl = docCount > 0 && total > 0 ? (float)(total / (double)docCount) : 1f;
        var cache = new float[256];
        for (var i = 0; i < cache.Length; i++)
        {
            cache[i] = 1f / (K1 * ((1 - B) + (B * LengthTable[i] / avgdl)));
        }

        return new Bm25Weight(collectionStats.Field, (float)idf, queryBoost, cache);
    }

    public override SimScorer GetSimScorer(SimWeight weight, AtomicReaderContext context)
    {
        var stats = (Bm25Weight)weight;
        return new Bm25Scorer(stats, context.AtomicReader.GetNormValues(stats.Field));
    }

    private static float Idf(long docFreq, long docCount) =>
        (float)Math.Log(1 + ((docCount - docFreq + 0.5d) / (docFreq + 0.5d)));

    /// <summary>Lucene 9's <c>SmallFloat.intToByte4</c>.</summary>
    internal static byte EncodeLength(int length)
    {
        length = Math.Max(0, length);
        return length < FreeValues ? (byte)length : (byte)(FreeValues + LongToInt4(length - FreeValues));
    }

    /// <summary>Lucene 9's <c>SmallFloat.byte4ToInt</c>.</summary>
    internal static int DecodeLength(byte encoded) =>
        encoded < FreeValues ? encoded : (int)(FreeValues + Int4ToLong(encoded - FreeValues));

    private static int LongToInt4(long i)
    {
        var bits = 64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)i);
        if (bits < 4)
        {
            return (int)i;
        }

        var shift = bits - 4;
        var encoded = (int)(i >>> shift) & 0x07;
        return encoded | ((shift + 1) << 3);
    }

    private static long Int4ToLong(int i)
    {
        long bits = i & 0x07;
        var shift = (i >>> 3) - 1;
        return shift == -1 ? bits : (bits | 0x08) << shift;
    }

    private static float[] BuildLengthTable()
    {
        var table = new float[256];
        for (var i = 0; i < table.Length; i++)
        {
            table[i] = DecodeLength((byte)i);
        }

        return table;
    }

    private sealed class Bm25Weight(string field, float idf, float queryBoost, float[] cache) : SimWeight
    {
        private float _topLevelBoost = 1f;

        public string Field { get; } = field;

        public float[] Cache { get; } = cache;

        /// <summary>boost · idf, as Lucene 9 computes it (the boosts of enclosing queries included).</summary>
        public float Value => queryBoost * _topLevelBoost * idf;

        public override float GetValueForNormalization() => Value * Value;

        public override void Normalize(float queryNorm, float topLevelBoost) => _topLevelBoost = topLevelBoost;
    }

    private sealed class Bm25Scorer(Bm25Weight weight, NumericDocValues? norms) : SimScorer
    {
        private readonly float _value = weight.Value;

        public override float Score(int doc, float freq)
        {
            var normInverse = weight.Cache[norms is null ? 1 : (int)(norms.Get(doc) & 0xFF)];
            return _value - (_value / (1f + (freq * normInverse)));
        }

        public override float ComputeSlopFactor(int distance) => 1f / (distance + 1);

        public override float ComputePayloadFactor(int doc, int start, int end, BytesRef payload) => 1f;

        public override Explanation Explain(int doc, Explanation freq) =>
            new(Score(doc, freq.Value), $"BM25 score, freq={freq.Value}");
    }
}
