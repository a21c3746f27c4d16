namespace Jobs.Infra.Tests.Support;

/// <summary>
/// Parameter sets a user would deploy template.yaml with: one per way of reaching the cluster.
/// Each must pass the template's Rules, and every check that depends on parameters runs for each.
/// </summary>
public static class Deployments
{
    public static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> All =
        new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["created OpenSearch domain"] = new Dictionary<string, string>
            {
                ["CreateSearchDomain"] = "true",
                ["SearchDomainName"] = "jobs",
            },
            ["existing Amazon OpenSearch domain, SigV4"] = new Dictionary<string, string>
            {
                ["SearchUrl"] = "https://search-jobs-abcdefgh.us-east-1.es.amazonaws.com",
                ["SearchDomainName"] = "jobs",
                ["SearchIndexPrefix"] = "prod-",
                ["ApiPublicBaseUrl"] = "https://jobs.example.org",
                ["AlarmEmail"] = "ops@example.org",
                ["AcceptLegacyUpdates"] = "true",
            },
            ["self-hosted Elasticsearch, basic authentication"] = new Dictionary<string, string>
            {
                ["SearchUrl"] = "https://es.example.org:9200",
                ["SearchAuth"] = "Basic",
                ["SearchUsername"] = "jobs",
                ["SearchPassword"] = "secret",
            },
            ["self-hosted Elasticsearch, API key"] = new Dictionary<string, string>
            {
                ["SearchUrl"] = "https://es.example.org:9200",
                ["SearchAuth"] = "ApiKey",
                ["SearchApiKey"] = "aWQ6a2V5",
            },
            ["cluster without authentication"] = new Dictionary<string, string>
            {
                ["SearchUrl"] = "http://es.internal.example.org:9200",
                ["SearchAuth"] = "None",
            },
            ["dispatch to an SNS topic"] = new Dictionary<string, string>
            {
                ["SearchUrl"] = "http://es.internal.example.org:9200",
                ["SearchAuth"] = "None",
                ["DispatchMode"] = "sns",
                ["DispatchTokenKey"] = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
            },
            ["dispatch to a webhook"] = new Dictionary<string, string>
            {
                ["CreateSearchDomain"] = "true",
                ["SearchDomainName"] = "jobs",
                ["ApiPublicBaseUrl"] = "https://jobs.example.org",
                ["DispatchMode"] = "webhook",
                ["DispatchUrl"] = "https://airflow.example.org/api/v1/dags/jobs/dagRuns",
                ["DispatchSecret"] = "webhook-secret",
                ["DispatchTokenKey"] = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
            },
        };

    public static TheoryData<string> Names() => [.. All.Keys];

    public static CfnEvaluator Evaluate(string name) => new(SamTemplate.Load(), All[name]);
}
