using Jobs.Elasticsearch.Auth;

namespace Jobs.Elasticsearch.Tests.Auth;

public sealed class AwsRegionResolverTests
{
    [Fact]
    public void The_setting_wins_over_the_environment_and_the_host_name()
    {
        var options = new ElasticsearchOptions { Url = "https://search-jobs-abc.us-west-2.es.amazonaws.com", AwsRegion = "eu-central-1" };

        Assert.Equal("eu-central-1", AwsRegionResolver.Resolve(options, _ => "ap-south-1"));
    }

    [Fact]
    public void The_aws_environment_comes_next()
    {
        var options = new ElasticsearchOptions { Url = "https://search-jobs-abc.us-west-2.es.amazonaws.com" };

        Assert.Equal("ap-south-1", AwsRegionResolver.Resolve(options, name => name == "AWS_DEFAULT_REGION" ? "ap-south-1" : null));
    }

    [Theory]
    [InlineData("https://search-jobs-7xk2q4bq3nvyx.us-west-2.es.amazonaws.com", "us-west-2")]
    [InlineData("https://vpc-jobs-7xk2q4bq3nvyx.us-gov-west-1.es.amazonaws.com:443", "us-gov-west-1")]
    [InlineData("https://0a1b2c3d4e5f.eu-west-3.aoss.amazonaws.com", "eu-west-3")]
    public void Then_the_region_in_an_amazon_host_name(string url, string region)
    {
        Assert.Equal(region, AwsRegionResolver.Resolve(new ElasticsearchOptions { Url = url }, _ => null));
    }

    [Fact]
    public void Another_host_without_settings_has_no_region()
    {
        Assert.Null(AwsRegionResolver.Resolve(new ElasticsearchOptions { Url = "https://es.internal:9200" }, _ => null));
    }
}
