using System.Text.Json;
using Jobs.Core.Search;
using Jobs.Core.Storage;

namespace Jobs.Api.Endpoints.Es;

/// <summary>
/// Turns what an <c>/es</c> handler throws into an Elasticsearch-shaped error rather than the
/// API's problem details: a refused search keeps its status, a malformed or badly compressed body
/// is 400, a store outage 503.
/// </summary>
internal sealed class EsErrorFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (SearchException e)
        {
            return EsErrors.Result(e);
        }
        catch (InvalidDataException e)
        {
            // What the request decompression stream throws on a body that is not valid gzip/deflate.
            return EsErrors.Result(EsErrors.BadBody($"the request body could not be decompressed: {e.Message}"));
        }
        catch (BadHttpRequestException e)
        {
            return EsErrors.Result(new SearchException("illegal_argument_exception", e.Message, e.StatusCode));
        }
        catch (JsonException e)
        {
            return EsErrors.Result(EsErrors.BadBody($"request body is not valid JSON: {e.Message}"));
        }
        catch (StoreUnavailableException e)
        {
            context.HttpContext.Response.Headers.RetryAfter = "5";
            return EsErrors.Result(EsErrors.Unavailable($"{e.Message} Retry in a few seconds."));
        }
    }
}
