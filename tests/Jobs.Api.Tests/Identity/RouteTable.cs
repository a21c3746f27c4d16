namespace Jobs.Api.Tests.Identity;

/// <summary>
/// What every route answers to every kind of caller, with bearer tokens from a real OpenID
/// Connect provider: the table docs/security.md shows (a test checks they are the same).
/// In paths and bodies, <c>{job}</c> is a job bob just created (<c>{token}</c> its update token),
/// <c>{process}</c> the deployed process, <c>{new}</c> an id never deployed, <c>{deployed}</c> one
/// the administrator just deployed. "sees"/"hidden": the answer does or does not include bob's job.
/// The anonymous column also holds for an expired token, a token for another audience and one
/// signed by a key the provider never published.
/// </summary>
public static class RouteTable
{
    public sealed record Row(string Method, string Path, string? Body, string Anonymous, string Alice, string Bob, string Admin)
    {
        public override string ToString() => $"{Method} {Path}";
    }

    private const string Execute = """{"inputs":{"x":"v"}}""";
    private const string ByIds = """{"query":{"ids":{"values":["{job}"]}}}""";

    public static readonly IReadOnlyList<Row> Rows =
    [
        new("GET", "/", null, "200", "200", "200", "200"),
        new("GET", "/conformance", null, "200", "200", "200", "200"),
        new("GET", "/openapi/v1.json", null, "200", "200", "200", "200"),
        new("GET", "/health", null, "200", "200", "200", "200"),
        new("GET", "/processes", null, "401", "200", "200", "200"),
        new("GET", "/processes/{process}", null, "401", "200", "200", "200"),
        new("POST", "/processes", "{package}", "401", "403", "403", "201"),
        new("DELETE", "/processes/{deployed}", null, "401", "403", "403", "204"),
        new("POST", "/processes/{process}/jobs", Execute, "401", "201", "201", "201"),
        new("POST", "/processes/oidc-table/execution", Execute, "401", "201", "201", "201"),
        new("GET", "/jobs", null, "401", "200 hidden", "200 sees", "200 sees"),
        new("GET", "/processes/{process}/jobs", null, "401", "200 hidden", "200 sees", "200 sees"),
        new("GET", "/jobs/{job}", null, "401", "404", "200", "200"),
        new("GET", "/jobs/{job}/results", null, "401", "404", "404 result-not-ready", "404 result-not-ready"),
        new("GET", "/jobs/{job}/history", null, "401", "404", "200", "200"),
        new("DELETE", "/jobs/{job}", null, "401", "404", "200", "200"),
        new("GET", "/processes/{process}/jobs/{job}", null, "401", "404", "200", "200"),
        new("GET", "/processes/{process}/jobs/{job}/result", null, "401", "404", "404 result-not-ready", "404 result-not-ready"),
        new("DELETE", "/processes/{process}/jobs/{job}", null, "401", "404", "200", "200"),
        new("POST", "/jobs/{job}/updates", "{update}", "200", "200", "200", "200"),
        new("GET", "/jobs/_doc/{job}", null, "401", "404", "200", "200"),
        new("POST", "/jobs/_search", ByIds, "401", "200 hidden", "200 sees", "200 sees"),
        new("GET", "/jobs/_search?q=id:{job}", null, "401", "200 hidden", "200 sees", "200 sees"),
        new("POST", "/jobs/_count", ByIds, "401", "200 hidden", "200 sees", "200 sees"),
        new("GET", "/jobs/_mapping", null, "401", "200", "200", "200"),
    ];

    public static readonly string[] Callers = ["anonymous", "expired", "wrong-audience", "unknown-key", "alice", "bob", "admin"];

    public static string Expected(Row row, string caller) => caller switch
    {
        "alice" => row.Alice,
        "bob" => row.Bob,
        "admin" => row.Admin,
        _ => row.Anonymous,
    };

    public static IEnumerable<object[]> Cases() =>
        from row in Rows from caller in Callers select new object[] { $"{row.Method} {row.Path}", caller };
}
