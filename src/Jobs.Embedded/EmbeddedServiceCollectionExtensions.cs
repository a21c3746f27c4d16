using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Embedded;

public static class EmbeddedServiceCollectionExtensions
{
    /// <summary>Registers the embedded store (section <c>Jobs:Embedded</c>) as IJobStore and IProcessRegistry.</summary>
    public static IServiceCollection AddEmbeddedJobStore(this IServiceCollection services, IConfiguration configuration) =>
        throw new NotImplementedException("The embedded store is being built.");
}
