// The generated client against a running API: execute a process, read the job back, find it
// in the job list by its label. Prints one JSON object with what it saw.
// Arguments: the API's root URL, an API key, the process (id:version), a label.
using System.Text.Json;
using Jobs.Generated;
using Jobs.Generated.Processes.Item.Jobs;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;

var (root, key, process, label) = (args[0], args[1], args[2], args[3]);
// Kiota's ApiKeyAuthenticationProvider refuses plain http, and the test's API listens on
// http://127.0.0.1, so the key rides on the HttpClient the adapter is given.
var http = new HttpClient();
http.DefaultRequestHeaders.Authorization = new("ApiKey", key);
var client = new JobsApiClient(new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http) { BaseUrl = root.TrimEnd('/') });

var body = new JobsPostRequestBody { Inputs = new JobsPostRequestBody_inputs(), Labels = [label] };
body.Inputs.AdditionalData["x"] = "from-kiota";
var created = await client.Processes[process].Jobs.PostAsync(body);
var job = await client.Jobs[created!.JobID!].GetAsync();
var list = await client.Jobs.GetAsync(request =>
{
    request.QueryParameters.Labels = [label];
    request.QueryParameters.Limit = 5;
});

Console.WriteLine(JsonSerializer.Serialize(new
{
    created = created.JobID,
    token = created.UpdateToken is { Length: > 0 },
    status = job!.Status,
    process = $"{job.ProcessID}:{job.ProcessVersion}",
    x = job.Inputs?.AdditionalData.TryGetValue("x", out var x) == true ? x?.ToString() : null,
    listed = list!.Jobs?.Select(j => j.JobID).ToList(),
}));
