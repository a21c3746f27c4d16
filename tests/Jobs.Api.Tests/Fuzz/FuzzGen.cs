using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Jobs.Api.Tests.Fuzz;

/// <summary>
/// Generators of hostile request bodies: JSON built from the words the API reads (so generated
/// bodies reach past the first check), and byte-level mutations of valid bodies (a token
/// inserted, a span cut or doubled, a byte that breaks UTF-8, the body truncated).
/// </summary>
public static class FuzzGen
{
    /// <summary>Keys the endpoints know, plus a few they do not.</summary>
    private static readonly string[] Keys =
    [
        "inputs", "outputs", "labels", "mode", "response", "subscriber", "id", "data", "value", "href", "transmissionMode",
        "version", "job-id", "token", "time", "status", "stage", "progress", "message", "error", "type", "add", "remove",
        "processDescription", "executionUnit", "schema", "minOccurs", "maxOccurs", "jobControlOptions", "items", "oneOf",
        "query", "bool", "must", "filter", "should", "must_not", "term", "terms", "match", "range", "gte", "lt", "wildcard",
        "prefix", "query_string", "simple_query_string", "exists", "field", "size", "from", "sort", "order", "search_after",
        "_source", "aggs", "date_histogram", "calendar_interval", "track_total_hits", "fields", "x", "", "\u00e9", "a.b",
    ];

    /// <summary>Values the readers parse specially (dates, statuses, units), and edge cases of JSON itself.</summary>
    private static readonly string[] Scalars =
    [
        "null", "true", "false", "0", "-1", "1.5", "1e400", "-1e400", "18446744073709551616", "9223372036854775808",
        "1e-400", "-0", "0.000000000000000000000000000001", "100", "101", "\"\"", "\"v\"", "\"running\"", "\"succeeded\"",
        "\"2026-01-01T00:00:00Z\"", "\"now-1d/d\"", "\"sync\"", "\"async\"", "\"document\"", "\"reference\"", "\"*\"",
        "\"?*a\"", "\"\\ud800\"", "\"\\udc00x\"", "\"\\u0000\"", "\"a\\\"b\"", "\"s3://bucket/key\"", "\"string\"",
        "\"integer\"", "\"nonsense\"", "\"1d\"", "\"desc\"", "\"x\"", "\"l1\"",
    ];

    /// <summary>Fragments inserted into valid bodies.</summary>
    private static readonly string[] Fragments =
    [
        "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\ud800", "null", "1e400", "-", ".", " ", "\n", "{\"x\":1}",
        "[[[[[[[[[[[[[[[[[[[[[[[[", "}}}}", ",\"inputs\":{}", ",\"size\":1,\"size\":2", "\"\\ud83d\"",
    ];

    /// <summary>Bytes that are never valid UTF-8 where they land.</summary>
    private static readonly byte[][] BadBytes = [[0xff], [0xc3], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0x80], [0x00]];

    public static Gen<string> Json(int depth) => depth <= 0
        ? Gen.Elements(Scalars)
        : Gen.Frequency(
            (4, Gen.Elements(Scalars)),
            (2, from items in Gen.ListOf(Json(depth - 1)).Select(l => l.Take(4)) select "[" + string.Join(",", items) + "]"),
            (3, from members in Gen.ListOf(from key in Gen.Elements(Keys) from value in Json(depth - 1) select Quote(key) + ":" + value).Select(l => l.Take(5))
                select "{" + string.Join(",", members) + "}"),
            (1, from levels in Gen.Choose(15, 70) select string.Concat(Enumerable.Repeat("{\"a\":", levels)) + "1" + new string('}', levels)),
            (1, from length in Gen.Choose(1, 40_000) select "\"" + new string('é', length) + "\""));

    /// <summary>A body: generated JSON, or a mutation of one of <paramref name="seeds"/>.</summary>
    public static Gen<byte[]> Body(params string[] seeds) => Gen.Frequency(
        (2, Json(4).Select(Encoding.UTF8.GetBytes)),
        (5, from seed in Gen.Elements(seeds) from mutated in Mutate(Encoding.UTF8.GetBytes(seed)) select mutated),
        (2, from seed in Gen.Elements(seeds) from path in Gen.Choose(0, 1000) from value in Json(2) select Replace(seed, path, value)));

    /// <summary>One to three byte-level edits of <paramref name="body"/>.</summary>
    public static Gen<byte[]> Mutate(byte[] body) =>
        from count in Gen.Choose(1, 3)
        from edits in Gen.ListOf(Edit, count)
        select edits.Aggregate(body, (current, edit) => edit(current));

    private static Gen<Func<byte[], byte[]>> Edit => Gen.OneOf(
        from at in Gen.Choose(0, 10_000)
        from fragment in Gen.Elements(Fragments)
        select (Func<byte[], byte[]>)(b => Splice(b, at % (b.Length + 1), 0, Encoding.UTF8.GetBytes(fragment))),
        from at in Gen.Choose(0, 10_000)
        from length in Gen.Choose(1, 8)
        select (Func<byte[], byte[]>)(b => b.Length == 0 ? b : Splice(b, at % b.Length, Math.Min(length, b.Length - (at % b.Length)), [])),
        from at in Gen.Choose(0, 10_000)
        from bad in Gen.Elements(BadBytes)
        select (Func<byte[], byte[]>)(b => Splice(b, at % (b.Length + 1), 0, bad)),
        from at in Gen.Choose(0, 10_000)
        from length in Gen.Choose(1, 30)
        select (Func<byte[], byte[]>)(b => b.Length == 0 ? b : Splice(b, at % b.Length, 0, b.AsSpan(at % b.Length, Math.Min(length, b.Length - (at % b.Length))).ToArray())),
        from at in Gen.Choose(0, 10_000)
        select (Func<byte[], byte[]>)(b => b[..(at % (b.Length + 1))]));

    /// <summary>The seed with the value after its n-th colon replaced by <paramref name="value"/> (a structural mutation that keeps the JSON mostly valid).</summary>
    private static byte[] Replace(string seed, int n, string value)
    {
        var colons = Enumerable.Range(0, seed.Length).Where(i => seed[i] == ':').ToList();
        if (colons.Count == 0)
        {
            return Encoding.UTF8.GetBytes(seed);
        }

        var at = colons[n % colons.Count] + 1;
        var end = at;
        var depth = 0;
        var inString = false;
        for (; end < seed.Length; end++)
        {
            var c = seed[end];
            if (inString)
            {
                if (c == '\\')
                {
                    end++;
                }
                else if (c == '"')
                {
                    inString = false;
                }

                continue;
            }

            if (c == '"')
            {
                inString = true;
            }
            else if (c is '{' or '[')
            {
                depth++;
            }
            else if (c is '}' or ']' && depth-- == 0 || c == ',' && depth == 0)
            {
                break;
            }
        }

        return Encoding.UTF8.GetBytes(seed[..at] + value + seed[end..]);
    }

    private static byte[] Splice(byte[] body, int at, int remove, byte[] insert) => [.. body[..at], .. insert, .. body[(at + remove)..]];

    private static string Quote(string key) => System.Text.Json.JsonSerializer.Serialize(key);

    /// <summary>Strings for path ids and query values: ids, near-ids, encodings and garbage.</summary>
    /// <remarks>
    /// No dot segments: HttpClient resolves them before sending (<c>/jobs/..</c> leaves as
    /// <c>/</c>), so they are sent byte for byte by <see cref="RawHttpTests"/> instead. No NUL:
    /// the test server refuses to send it (Kestrel answers 400 itself).
    /// </remarks>
    public static Gen<string> PathText => Gen.Frequency(
        (3, Gen.Elements("...", "%252e%252e", "%ff", "%c3", "%ed%a0%80", "%2F", "a%2Fb", "_search", "_doc", "_count",
            "probe:1", "probe", ":", "::", "a:b:c", "%3A", "%20", "0193a8e2-7c1d-7000-8000-000000000000", "null", "~", "*", "?", "%3F", "%23",
            new string('a', 200), new string('x', 5000))),
        (2, from chars in Gen.ListOf(Gen.Elements("a", "Z", "0", "-", ".", "_", ":", "%", "2", "e", "~", "%20", "%e2%82%ac", "é", "+", "=", "&", "'")).Select(l => l.Take(12))
            select string.Concat(chars)))
        .Where(text => Uri.UnescapeDataString(text) is var plain && !plain.Contains('\0', StringComparison.Ordinal)
            && plain.Split('/').All(segment => segment is not ("." or "..")));
}
