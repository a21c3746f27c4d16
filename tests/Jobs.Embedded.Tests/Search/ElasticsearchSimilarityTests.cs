using Jobs.Embedded.Indexing;

namespace Jobs.Embedded.Tests.Search;

/// <summary>The field-length encoding of Lucene 9 that Elasticsearch's BM25 scores with.</summary>
public sealed class ElasticsearchSimilarityTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(23)]
    public void Lengths_below_twenty_four_are_stored_exactly(int length) =>
        Assert.Equal(length, ElasticsearchSimilarity.DecodeLength(ElasticsearchSimilarity.EncodeLength(length)));

    [Fact]
    public void Longer_lengths_keep_their_order_and_four_significant_bits()
    {
        var previous = 0;
        for (var length = 24; length < 100_000; length += 7)
        {
            var decoded = ElasticsearchSimilarity.DecodeLength(ElasticsearchSimilarity.EncodeLength(length));
            Assert.True(decoded <= length, $"{length} decoded as {decoded}");
            Assert.True(decoded >= previous, $"{length} decoded below a shorter length");
            Assert.True(length - decoded <= length / 8, $"{length} decoded as {decoded}");
            previous = decoded;
        }
    }

    [Fact]
    public void Longest_length_is_the_last_byte()
    {
        Assert.Equal(255, ElasticsearchSimilarity.EncodeLength(int.MaxValue));
    }
}
