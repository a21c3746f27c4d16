using Jobs.Core.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Jobs.Elasticsearch.Tests;

public sealed class ElasticsearchOptionsValidatorTests
{
    private static readonly ElasticsearchOptionsValidator Validator = new(_ => null);

    [Fact]
    public async Task A_host_without_the_cluster_url_fails_at_start_saying_which_variable_to_set()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Jobs:Store"] = "elasticsearch" });
        builder.Services.AddElasticsearchJobStore(builder.Configuration);
        using var host = builder.Build();

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("The Elasticsearch store needs the cluster's URL: set Jobs__Elasticsearch__Url", e.Message);
    }

    [Fact]
    public void The_store_resolves_as_one_instance_behind_both_ports()
    {
        var services = new ServiceCollection();
        services.AddElasticsearchJobStore(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Jobs:Elasticsearch:Url"] = "http://127.0.0.1:9200" }).Build());
        using var provider = services.BuildServiceProvider();

        Assert.Same(provider.GetRequiredService<IJobStore>(), provider.GetRequiredService<IProcessRegistry>());
        Assert.Same(provider.GetRequiredService<IJobStore>(), provider.GetRequiredService<IJobStore>());
    }

    [Fact]
    public void A_url_alone_is_a_valid_configuration()
    {
        Assert.True(Validator.Validate(null, new ElasticsearchOptions { Url = "http://localhost:9200" }).Succeeded);
    }

    [Theory]
    [InlineData("localhost:9200", "must be an absolute http or https URL")]
    [InlineData("ftp://es.example.org", "must be an absolute http or https URL")]
    public void A_url_that_is_not_http_is_refused(string url, string message)
    {
        AssertFails(new ElasticsearchOptions { Url = url }, message);
    }

    [Theory]
    [InlineData("Jobs-")]
    [InlineData("-jobs")]
    [InlineData("a*b")]
    public void An_index_prefix_elasticsearch_would_refuse_is_refused(string prefix)
    {
        AssertFails(new ElasticsearchOptions { Url = "http://es:9200", IndexPrefix = prefix }, "Jobs__Elasticsearch__IndexPrefix must be lower case");
    }

    [Fact]
    public void Basic_authentication_without_a_password_is_refused()
    {
        AssertFails(new ElasticsearchOptions { Url = "http://es:9200", Username = "elastic" }, "Basic authentication needs Jobs__Elasticsearch__Username and Jobs__Elasticsearch__Password");
    }

    [Fact]
    public void An_api_key_and_a_user_name_without_a_choice_between_them_are_refused()
    {
        AssertFails(new ElasticsearchOptions { Url = "http://es:9200", Username = "elastic", Password = "x", ApiKey = "k" }, "choose one with Jobs__Elasticsearch__Auth");
    }

    [Fact]
    public void SigV4_without_any_region_is_refused()
    {
        AssertFails(new ElasticsearchOptions { Url = "https://es.internal:443", Auth = ElasticsearchAuth.SigV4 }, "SigV4 signing needs a region");
    }

    [Fact]
    public void SigV4_takes_its_region_from_the_aws_environment()
    {
        var validator = new ElasticsearchOptionsValidator(name => name == "AWS_REGION" ? "eu-west-1" : null);

        Assert.True(validator.Validate(null, new ElasticsearchOptions { Url = "https://es.internal", Auth = ElasticsearchAuth.SigV4 }).Succeeded);
    }

    [Fact]
    public void A_missing_ca_file_is_refused()
    {
        AssertFails(new ElasticsearchOptions { Url = "https://es:9200", CaCertificatePath = "/nonexistent/http_ca.crt" }, "CaCertificatePath names no file");
    }

    [Theory]
    [InlineData(null, null, null, ElasticsearchAuth.None)]
    [InlineData("elastic", "pw", null, ElasticsearchAuth.Basic)]
    [InlineData(null, null, "key", ElasticsearchAuth.ApiKey)]
    public void Authentication_is_inferred_from_the_settings_present(string? user, string? password, string? apiKey, ElasticsearchAuth expected)
    {
        Assert.Equal(expected, new ElasticsearchOptions { Username = user, Password = password, ApiKey = apiKey }.EffectiveAuth());
    }

    private static void AssertFails(ElasticsearchOptions options, string message)
    {
        var result = Validator.Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains(message, StringComparison.Ordinal));
    }
}
