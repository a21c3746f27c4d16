using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Elasticsearch;

public static class ElasticsearchServiceCollectionExtensions
{
    /// <summary>Registers the Elasticsearch store (section <c>Jobs:Elasticsearch</c>) as IJobStore and IProcessRegistry.</summary>
    public static IServiceCollection AddElasticsearchJobStore(this IServiceCollection services, IConfiguration configuration) =>
        throw new NotImplementedException("The Elasticsearch store is being built.");
}
