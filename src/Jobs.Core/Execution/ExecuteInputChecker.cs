using System.Text.Json;
using System.Text.RegularExpressions;
using Jobs.Core.Json;
using Jobs.Core.Processes;
using Jobs.Core.Validation;

namespace Jobs.Core.Execution;

/// <summary>
/// Checks an execute request against the deployed process description: every required input
/// (<c>minOccurs</c> &gt;= 1, the default) is present, no unknown input or output is named, the
/// number of values respects <c>minOccurs</c>/<c>maxOccurs</c>, and each value matches its
/// schema (<c>type</c>, <c>enum</c>, <c>format: date-time</c>, <c>minimum</c>/<c>maximum</c>,
/// <c>minLength</c>/<c>maxLength</c>/<c>pattern</c>, <c>items</c>, <c>oneOf</c>/<c>anyOf</c>/<c>allOf</c>).
/// Values given by reference (<c>{"href": …}</c>) are not fetched, so only their form is checked.
/// </summary>
public static class ExecuteInputChecker
{
    public static FieldErrors Check(ExecuteRequest request, ProcessDescriptionView process)
    {
        var errors = new FieldErrors();
        foreach (var (id, description) in process.Inputs)
        {
            if (description.MinOccurs > 0 && !request.Inputs.ContainsKey(id))
            {
                errors.Add($"inputs.{id}", $"is required by process {process.Id}:{process.Version}");
            }
        }

        foreach (var (id, value) in request.Inputs)
        {
            var path = $"inputs.{id}";
            if (!process.Inputs.TryGetValue(id, out var description))
            {
                errors.Add(path, $"is not an input of process {process.Id}:{process.Version} (its inputs: {Names(process.Inputs.Keys)})");
                continue;
            }

            CheckOccurrences(value, description, path, errors);
        }

        foreach (var id in request.Outputs.Keys.Where(o => !process.OutputIds.Contains(o)))
        {
            errors.Add($"outputs.{id}", $"is not an output of process {process.Id}:{process.Version} (its outputs: {Names(process.OutputIds)})");
        }

        return errors;
    }

    private static string Names(IEnumerable<string> names)
    {
        var list = names.ToList();
        return list.Count == 0 ? "none" : string.Join(", ", list);
    }

    private static void CheckOccurrences(JsonElement value, InputDescription description, string path, FieldErrors errors)
    {
        var schema = description.Schema;
        var schemaTakesArray = schema is { } s && AllowsType(s, "array");
        if (value.ValueKind == JsonValueKind.Array && !schemaTakesArray)
        {
            var count = value.GetArrayLength();
            if (description.MaxOccurs is { } max && count > max)
            {
                errors.Add(path, max == 1 ? "takes one value, not an array" : $"takes at most {max} values (got {count})");
                return;
            }

            if (count < description.MinOccurs)
            {
                errors.Add(path, $"needs at least {description.MinOccurs} values (got {count})");
                return;
            }

            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                CheckValue(item, schema, $"{path}[{index++}]", errors);
            }

            return;
        }

        CheckValue(value, schema, path, errors);
    }

    private static void CheckValue(JsonElement value, JsonElement? schema, string path, FieldErrors errors)
    {
        if (schema is not { ValueKind: JsonValueKind.Object } s)
        {
            return;
        }

        if (value.ValueKind == JsonValueKind.Object && !AllowsType(s, "object"))
        {
            if (value.TryGetProperty("href", out var href) && href.ValueKind == JsonValueKind.String)
            {
                return; // by reference: validated once fetched, which the execution backend does
            }

            if (value.TryGetProperty("value", out var qualified))
            {
                value = qualified;
            }
        }

        if (Problem(value, s) is { } problem)
        {
            errors.Add(path, problem);
        }
    }

    /// <summary>Why <paramref name="value"/> does not match <paramref name="schema"/>, or null.</summary>
    private static string? Problem(JsonElement value, JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (schema.TryGetProperty("type", out var type) && !MatchesType(value, type))
        {
            return $"must be {DescribeType(type)}, not {JsonRead.Describe(value.ValueKind)}";
        }

        if (schema.TryGetProperty("enum", out var options) && options.ValueKind == JsonValueKind.Array
            && !options.EnumerateArray().Any(o => JsonElement.DeepEquals(o, value)))
        {
            return $"must be one of {string.Join(", ", options.EnumerateArray().Select(o => o.GetRawText()))}";
        }

        if (value.ValueKind == JsonValueKind.String && StringProblem(value.GetString()!, schema) is { } text)
        {
            return text;
        }

        if (value.ValueKind == JsonValueKind.Number && NumberProblem(value.GetDouble(), schema) is { } number)
        {
            return number;
        }

        if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items))
        {
            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                if (Problem(item, items) is { } p)
                {
                    return $"item {index}: {p}";
                }

                index++;
            }
        }

        if (schema.TryGetProperty("allOf", out var all) && all.ValueKind == JsonValueKind.Array)
        {
            foreach (var branch in all.EnumerateArray())
            {
                if (Problem(value, branch) is { } p)
                {
                    return p;
                }
            }
        }

        foreach (var name in (string[])["oneOf", "anyOf"])
        {
            if (schema.TryGetProperty(name, out var branches) && branches.ValueKind == JsonValueKind.Array
                && branches.GetArrayLength() > 0 && branches.EnumerateArray().All(b => Problem(value, b) is not null))
            {
                return $"matches none of the schema's {name} alternatives";
            }
        }

        return null;
    }

    private static string? StringProblem(string text, JsonElement schema)
    {
        if (schema.TryGetProperty("format", out var format) && format.ValueKind == JsonValueKind.String)
        {
            var ok = format.GetString() switch
            {
                "date-time" => UtcTimestampJsonConverter.TryParse(text, out _),
                "date" => DateOnly.TryParseExact(text, "yyyy-MM-dd", out _),
                "uri" => Uri.TryCreate(text, UriKind.Absolute, out _),
                _ => true,
            };
            if (!ok)
            {
                return $"must be a string in {format.GetString()} format{(format.GetString() == "date-time" ? " (RFC 3339, such as 2016-01-14T08:00:00Z)" : "")}";
            }
        }

        if (schema.TryGetProperty("minLength", out var minLength) && minLength.TryGetInt32(out var min) && text.Length < min)
        {
            return $"must be at least {min} characters";
        }

        if (schema.TryGetProperty("maxLength", out var maxLength) && maxLength.TryGetInt32(out var max) && text.Length > max)
        {
            return $"must be at most {max} characters";
        }

        if (schema.TryGetProperty("pattern", out var pattern) && pattern.ValueKind == JsonValueKind.String)
        {
            try
            {
                if (!Regex.IsMatch(text, pattern.GetString()!, RegexOptions.None, TimeSpan.FromMilliseconds(100)))
                {
                    return $"must match the pattern {pattern.GetString()}";
                }
            }
            catch (Exception e) when (e is ArgumentException or RegexMatchTimeoutException)
            {
                return null; // a broken pattern in the description is not the caller's fault
            }
        }

        return null;
    }

    private static string? NumberProblem(double number, JsonElement schema)
    {
        if (schema.TryGetProperty("minimum", out var minimum) && minimum.ValueKind == JsonValueKind.Number && number < minimum.GetDouble())
        {
            return $"must be at least {minimum.GetRawText()}";
        }

        if (schema.TryGetProperty("maximum", out var maximum) && maximum.ValueKind == JsonValueKind.Number && number > maximum.GetDouble())
        {
            return $"must be at most {maximum.GetRawText()}";
        }

        return null;
    }

    private static bool AllowsType(JsonElement schema, string name) =>
        schema.TryGetProperty("type", out var type) && TypeNames(type).Contains(name);

    private static IEnumerable<string> TypeNames(JsonElement type) => type.ValueKind switch
    {
        JsonValueKind.String => [type.GetString()!],
        JsonValueKind.Array => type.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!),
        _ => [],
    };

    private static bool MatchesType(JsonElement value, JsonElement type)
    {
        var names = TypeNames(type).ToList();
        return names.Count == 0 || names.Any(name => name switch
        {
            "string" => value.ValueKind == JsonValueKind.String,
            "number" => value.ValueKind == JsonValueKind.Number,
            "integer" => value.ValueKind == JsonValueKind.Number && IsIntegral(value),
            "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            "object" => value.ValueKind == JsonValueKind.Object,
            "array" => value.ValueKind == JsonValueKind.Array,
            "null" => value.ValueKind == JsonValueKind.Null,
            _ => true,
        });
    }

    /// <summary>
    /// A whole number that fits a 64-bit signed integer (Elasticsearch's <c>long</c>), written as
    /// an integer or with a zero fraction (<c>3.0</c>): 2^64 is not an integer any store keeps exactly.
    /// </summary>
    private static bool IsIntegral(JsonElement number) =>
        number.TryGetInt64(out _)
        || (number.TryGetDouble(out var d) && Math.Abs(d % 1) == 0 && d >= long.MinValue && d < long.MaxValue);

    private static string DescribeType(JsonElement type)
    {
        var names = TypeNames(type).Select(n => n is "integer" ? "a whole number from -2^63 to 2^63-1" : n is "object" or "array" ? $"an {n}" : $"a {n}").ToList();
        return string.Join(" or ", names);
    }
}
