using System.Reflection;
using System.Text.Json.Nodes;
using Jobs.Core.Search;
using Jobs.Core.Storage;
using Jobs.Search.Policy;
using Jobs.Search.Queries;

namespace Jobs.Search.Tests;

/// <summary>
/// What <see cref="SearchScope"/> hands a store: the scoped request as parsed to a store that
/// runs the model (no second parse), as JSON to any other.
/// </summary>
public class SearchScopeStoreTests
{
    private static readonly SearchCaller Alice = new("alice", IsAdmin: false);

    private static JsonObject Body() => JsonNode.Parse("""{"query":{"term":{"status":"running"}},"size":3}""")!.AsObject();

    [Fact]
    public async Task A_store_that_runs_the_parsed_model_gets_the_scoped_request_and_no_json()
    {
        var store = DispatchProxy.Create<IJobStore, ParsedStore>();
        var seen = (ParsedStore)(object)store;

        await SearchScope.SearchAsync(store, Body(), Alice, CancellationToken.None);
        await SearchScope.CountAsync(store, null, Alice, CancellationToken.None);

        Assert.Empty(seen.JsonCalls);
        var search = Assert.IsType<SearchRequest>(seen.Parsed[0]);
        Assert.Equal(3, search.Size);
        var scoped = Assert.IsType<BoolNode>(search.Query);
        Assert.Equal("user-id", Assert.IsType<TermNode>(Assert.Single(scoped.Filter)).Field);
        var count = Assert.IsType<CountRequest>(seen.Parsed[1]);
        Assert.IsType<BoolNode>(count.Query);
    }

    [Fact]
    public async Task Another_store_gets_the_scoped_request_as_json()
    {
        var store = DispatchProxy.Create<IJobStore, JsonStore>();
        var seen = (JsonStore)(object)store;

        await SearchScope.SearchAsync(store, Body(), Alice, CancellationToken.None);
        await SearchScope.CountAsync(store, null, Alice, CancellationToken.None);

        Assert.Equal(["SearchAsync", "CountAsync"], seen.JsonCalls.Select(c => c.Method));
        Assert.Equal("""{"term":{"user-id":"alice"}}""", seen.JsonCalls[0].Body!["query"]!["bool"]!["filter"]![0]!.ToJsonString());
        Assert.Equal(3, seen.JsonCalls[0].Body!["size"]!.GetValue<int>());
    }

    /// <summary>A store that records the JSON searches and counts it receives, answering <c>{}</c>.</summary>
    public class JsonStore : DispatchProxy
    {
        public List<(string Method, JsonObject? Body)> JsonCalls { get; } = [];

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod?.Name is not (nameof(IJobStore.SearchAsync) or nameof(IJobStore.CountAsync)))
            {
                throw new NotSupportedException(targetMethod?.Name);
            }

            JsonCalls.Add((targetMethod.Name, args![0] as JsonObject));
            return Task.FromResult(new JsonObject());
        }
    }

    /// <summary>As <see cref="JsonStore"/>, and one that runs parsed requests too (recorded apart).</summary>
    public class ParsedStore : JsonStore, IParsedSearchStore
    {
        public List<object> Parsed { get; } = [];

        public Task<JsonObject> SearchAsync(SearchRequest request, CancellationToken cancellationToken)
        {
            Parsed.Add(request);
            return Task.FromResult(new JsonObject());
        }

        public Task<JsonObject> CountAsync(CountRequest request, CancellationToken cancellationToken)
        {
            Parsed.Add(request);
            return Task.FromResult(new JsonObject());
        }
    }
}
