using System.Net;
using System.Text;
using System.Xml.Linq;
using Amazon.Runtime;
namespace Jobs.Aws;

/// <summary>What to publish: the message text and, for FIFO topics, its group and deduplication ids.</summary>
public sealed record SnsPublishRequest(string TopicArn, string Message, string? MessageGroupId = null, string? MessageDeduplicationId = null);

/// <summary>An SNS error response (<c>&lt;ErrorResponse&gt;&lt;Error&gt;&lt;Type&gt;&lt;Code&gt;&lt;Message&gt;</c>) or a transport failure.</summary>
public sealed class SnsException(HttpStatusCode? status, string code, string type, string message, Exception? inner = null)
    : Exception($"{code}: {message}", inner)
{
    /// <summary>Null when no HTTP response arrived.</summary>
    public HttpStatusCode? Status { get; } = status;

    public string Code { get; } = code;

    /// <summary><c>Sender</c> (the request is wrong) or <c>Receiver</c> (SNS failed).</summary>
    public string Type { get; } = type;

    public string ServiceMessage { get; } = message;

    private static readonly string[] TransientCodes =
        ["Throttled", "Throttling", "ThrottlingException", "InternalError", "InternalFailure", "ServiceUnavailable", "KMSThrottling", "RequestTimeout"];

    /// <summary>Whether sending again may succeed: no answer, a 5xx or 429, SNS's fault, or throttling.</summary>
    public bool IsTransient => Status is null || (int)Status >= 500 || Status == HttpStatusCode.TooManyRequests
                               || Type == "Receiver" || TransientCodes.Contains(Code);
}

/// <summary>
/// SNS <c>Publish</c> over the Query API, signed by the one <see cref="SigV4Handler"/> (AWSSDK.Core's
/// signer, dated by <paramref name="time"/>).
/// </summary>
/// <remarks>
/// A stand-in for the AWSSDK.SimpleNotificationService package, which our package registry does
/// not serve: it implements the one call the Update Job tool needs and nothing else. The request
/// is <c>POST /</c> with a form body (<c>Action=Publish&amp;Version=2010-03-31&amp;TopicArn=…&amp;Message=…</c>,
/// values escaped with <see cref="Uri.EscapeDataString(string)"/>); the XML answer is read by
/// local element names, so the namespace does not matter. Swap it for the SDK's
/// <c>AmazonSimpleNotificationServiceClient.PublishAsync</c> when that package is available.
/// </remarks>
/// <param name="http">Sends the signed request (its handlers are the caller's: the signature is added before it is sent).</param>
/// <param name="time">The clock the signature is dated by (the system clock when not given).</param>
/// <remarks>Used by the Update Job tool (<c>jobsctl update --topic-arn</c>) and the API's <c>sns</c> dispatch.</remarks>
public sealed class SnsPublishClient(HttpClient http, Uri endpoint, SigV4Handler signer)
{
    private readonly SigV4Handler _signer = signer;

    public SnsPublishClient(HttpClient http, Uri endpoint, string region, AWSCredentials credentials, TimeProvider? time = null)
        : this(http, endpoint, new SigV4Handler(credentials, region, "sns", time ?? TimeProvider.System))
    {
    }

    public const string ContentType = "application/x-www-form-urlencoded; charset=utf-8";

    public Uri Endpoint { get; } = endpoint;

    /// <summary>Publishes and returns the SNS message id; throws <see cref="SnsException"/> on an error answer.</summary>
    public async Task<string> PublishAsync(SnsPublishRequest request, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(FormBody(request));
        using var message = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new ByteArrayContent(body) };
        message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);

        await _signer.SignAsync(message, cancellationToken);

        using var response = await http.SendAsync(message, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var xml = TryParse(text);
        if (response.IsSuccessStatusCode)
        {
            var id = Find(xml, "MessageId");
            return id ?? throw new SnsException(response.StatusCode, "MalformedResponse", "Receiver", $"no MessageId in the Publish response: {Shorten(text)}");
        }

        throw new SnsException(
            response.StatusCode,
            Find(xml, "Code") ?? response.StatusCode.ToString(),
            Find(xml, "Type") ?? ((int)response.StatusCode >= 500 ? "Receiver" : "Sender"),
            Find(xml, "Message") ?? Shorten(text));
    }

    /// <summary>The form body, parameters in the order of the Query API documentation.</summary>
    public static string FormBody(SnsPublishRequest request)
    {
        var fields = new List<(string, string)>
        {
            ("Action", "Publish"),
            ("Version", "2010-03-31"),
            ("TopicArn", request.TopicArn),
            ("Message", request.Message),
        };
        if (request.MessageGroupId is not null)
        {
            fields.Add(("MessageGroupId", request.MessageGroupId));
        }

        if (request.MessageDeduplicationId is not null)
        {
            fields.Add(("MessageDeduplicationId", request.MessageDeduplicationId));
        }

        return string.Join('&', fields.Select(f => $"{Uri.EscapeDataString(f.Item1)}={Uri.EscapeDataString(f.Item2)}"));
    }

    /// <summary>The Query API endpoint of a region: <c>https://sns.&lt;region&gt;.amazonaws.com/</c> (<c>.com.cn</c> in China).</summary>
    public static Uri DefaultEndpoint(string region) =>
        new($"https://sns.{region}.amazonaws.com{(region.StartsWith("cn-", StringComparison.Ordinal) ? ".cn" : "")}/");

    private static XDocument? TryParse(string text)
    {
        try
        {
            return XDocument.Parse(text);
        }
        catch (System.Xml.XmlException)
        {
            return null;
        }
    }

    private static string? Find(XDocument? xml, string localName) =>
        xml?.Descendants().FirstOrDefault(e => e.Name.LocalName == localName)?.Value;

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
