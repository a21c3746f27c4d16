using FluentValidation.Results;

namespace Jobs.Core.Validation;

/// <summary>
/// Problems found in a request body, keyed by the JSON path of the offending field
/// (<c>progress</c>, <c>inputs.start_datetime</c>, <c>labels[2]</c>). Rendered by the API as
/// the <c>errors</c> member of a validation problem.
/// </summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public void Add(string path, string message)
    {
        if (!_errors.TryGetValue(path, out var list))
        {
            _errors[path] = list = [];
        }

        if (!list.Contains(message))
        {
            list.Add(message);
        }
    }

    public void Add(ValidationResult result)
    {
        foreach (var failure in result.Errors)
        {
            Add(failure.PropertyName, failure.ErrorMessage);
        }
    }

    /// <summary>Reports every problem as a failure of a FluentValidation rule (for custom rules).</summary>
    public void CopyTo<T>(FluentValidation.ValidationContext<T> context)
    {
        foreach (var (path, messages) in _errors)
        {
            foreach (var message in messages)
            {
                context.AddFailure(path, message);
            }
        }
    }

    public IReadOnlyDictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);

    /// <summary>One line naming every problem, for logs and CLI output.</summary>
    public override string ToString() =>
        string.Join("; ", _errors.Select(kv => $"{(kv.Key.Length == 0 ? "body" : kv.Key)}: {string.Join(", ", kv.Value)}"));
}

/// <summary>A parsed value, or the problems that prevented it.</summary>
public sealed record ReadResult<T>(T? Value, FieldErrors Errors) where T : class
{
    public bool IsValid => Value is not null && !Errors.Any;
}
