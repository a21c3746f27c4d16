using System.Net;
using Jobs.Infra.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Jobs.Infra.Tests.Template;

/// <summary>
/// Who gets in on AWS: the HTTP API's JWT authorizer (the issuer given, or the stack's Cognito
/// user pool), the same issuer configured in the app, the routes left open matching the ones
/// the app serves without a user, an encrypted topic and the API's access logs.
/// </summary>
public sealed class AccessTests
{
    private static readonly SamTemplate Template = SamTemplate.Load();

    public static TheoryData<string, string> Issuers() => new()
    {
        { "", "" },
        { "https://login.example.org/realms/sds", "jobs-api,jobs-cli" },
    };

    [Theory]
    [MemberData(nameof(Issuers))]
    public void Every_route_needs_a_jwt_of_the_issuer_and_the_app_checks_it_again(string issuer, string audience)
    {
        var evaluator = Evaluate(issuer, audience);
        var auth = SamTemplate.Map(evaluator.Properties("HttpApi"), "Auth");
        var jwt = SamTemplate.Map(SamTemplate.Map(SamTemplate.Map(auth, "Authorizers"), "JobsJwt"), "JwtConfiguration");
        var environment = new FunctionView(evaluator, "ApiFunction").Environment;

        Assert.Equal("JobsJwt", auth["DefaultAuthorizer"]);
        var expectedIssuer = issuer.Length > 0 ? issuer : $"https://cognito-idp.{CfnEvaluator.Region}.amazonaws.com/{evaluator.Ref("UserPool")}";
        Assert.Equal(expectedIssuer, jwt["issuer"]);
        Assert.Equal(issuer.Length > 0 ? audience.Split(',') : [evaluator.Ref("UserPoolClient")], ((List<object?>)jwt["audience"]!).Cast<string>());
        Assert.Equal(issuer.Length == 0, evaluator.Exists("UserPool") && evaluator.Exists("UserPoolClient") && evaluator.Exists("AdminGroup"));

        Assert.Equal(expectedIssuer, environment["Authentication__Schemes__Bearer__Authority"]);
        Assert.Equal(expectedIssuer, environment["Authentication__Schemes__Bearer__ValidIssuer"]);
        Assert.Equal(evaluator.Parameters["AuthAdminRole"], environment["Jobs__Auth__AdminRole"]);
        Assert.Equal(evaluator.Parameters["AuthRolesClaim"], environment["Jobs__Auth__RolesClaim"]);
        if (issuer.Length == 0)
        {
            Assert.Equal(evaluator.Parameters["AuthAdminRole"], evaluator.Properties("AdminGroup")["GroupName"]);
            Assert.Equal("cognito:groups", evaluator.Parameters["AuthRolesClaim"]);
        }
    }

    [Fact]
    public void An_issuer_without_an_audience_is_refused_by_the_rules()
    {
        var evaluator = new CfnEvaluator(Template, new Dictionary<string, string>(Deployments.All["cluster without authentication"]) { ["AuthIssuer"] = "https://login.example.org" });

        Assert.Contains(evaluator.FailedRules(), failure => failure.StartsWith("IssuerNeedsAudience", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_routes_open_at_the_gateway_are_the_ones_the_app_serves_without_a_user()
    {
        var events = SamTemplate.Map(Template.Properties("ApiFunction"), "Events").Values.Cast<Dictionary<string, object?>>()
            .Select(e => SamTemplate.Map(e, "Properties")).ToList();
        var open = events.Where(p => p.TryGetValue("Auth", out var a) && ((Dictionary<string, object?>)a!)["Authorizer"] as string == "NONE").ToList();
        var closed = Assert.Single(events, p => !p.ContainsKey("Path"));
        Assert.False(closed.ContainsKey("Auth"), "the $default route keeps the default authorizer");

        using var host = new BearerHost();
        var client = host.CreateClient();
        foreach (var route in open.Where(p => (string)p["Method"]! != "OPTIONS"))
        {
            var path = ((string)route["Path"]!).Replace("{document}", "v1.json", StringComparison.Ordinal).Replace("{proxy+}", "index.html", StringComparison.Ordinal)
                .Replace("{jobId}", "0193a0c0-0000-7000-8000-000000000000", StringComparison.Ordinal);
            var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod((string)route["Method"]!), path));
            Assert.True(response.StatusCode != HttpStatusCode.Unauthorized, $"{route["Method"]} {path}: the app wants a user where the gateway lets anyone in");
        }

        // Everything else needs the token at the gateway and in the app.
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/jobs")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/processes")).StatusCode);
        Assert.Contains(open, p => (string)p["Method"]! == "OPTIONS" && (string)p["Path"]! == "/{proxy+}");
    }

    [Fact]
    public void The_updates_topic_is_encrypted_and_the_api_logs_every_request()
    {
        var evaluator = Deployments.Evaluate("cluster without authentication");

        Assert.Equal("alias/aws/sns", evaluator.Properties("UpdatesTopic")["KmsMasterKeyId"]);
        var logs = SamTemplate.Map(evaluator.Properties("HttpApi"), "AccessLogSettings");
        Assert.Equal(evaluator.GetAtt("ApiAccessLogGroup", "Arn"), logs["DestinationArn"]);
        Assert.Contains("$context.requestId", (string)logs["Format"]!, StringComparison.Ordinal);
        Assert.Contains("$context.status", (string)logs["Format"]!, StringComparison.Ordinal);
        Assert.Equal(evaluator.Ref("LogRetentionInDays"), evaluator.Properties("ApiAccessLogGroup")["RetentionInDays"]);
    }

    private static CfnEvaluator Evaluate(string issuer, string audience) =>
        new(Template, new Dictionary<string, string>(Deployments.All["cluster without authentication"]) { ["AuthIssuer"] = issuer, ["AuthAudience"] = audience });

    /// <summary>The API host with a bearer scheme configured (no token is ever presented, so the authority is never called).</summary>
    private sealed class BearerHost : WebApplicationFactory<Program>
    {
        private readonly string _dataPath = Path.Combine(Path.GetTempPath(), "jobs-infra-tests", Guid.NewGuid().ToString("N"));

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("Jobs:Store", "embedded");
            builder.UseSetting("Jobs:Embedded:DataPath", _dataPath);
            builder.UseSetting("Authentication:Schemes:Bearer:Authority", "https://login.example.org/realms/sds");
            builder.UseSetting("Authentication:Schemes:Bearer:ValidAudiences:0", "jobs-api");
        }

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            if (disposing && Directory.Exists(_dataPath))
            {
                Directory.Delete(_dataPath, recursive: true);
            }
        }
    }
}
