using FluentValidation;
using Jobs.Core.Updates;
using Jobs.Core.Validation;

namespace Jobs.Core.Execution;

/// <summary>The value rules of an execute request, whichever encoding it came in.</summary>
public sealed class ExecuteRequestValidator : AbstractValidator<ExecuteRequest>
{
    public ExecuteRequestValidator()
    {
        RuleFor(r => r.Response).Must(r => r is "raw" or "document")
            .OverridePropertyName("response").WithMessage("must be raw or document");
        RuleFor(r => r.Mode).Must(m => m is not "sync")
            .OverridePropertyName("mode").WithMessage(SyncRefused);
        RuleFor(r => r.Mode).Must(m => m is null or "async" or "sync" or "auto")
            .OverridePropertyName("mode").WithMessage("must be async or auto (or left out)");
        RuleForEach(r => r.Labels).Must(UpdateMessageValidator.BeALabel)
            .OverridePropertyName("labels").WithMessage(UpdateMessageValidator.LabelRule);
        RuleFor(r => r.Labels.Count).LessThanOrEqualTo(100)
            .OverridePropertyName("labels").WithMessage("at most 100 labels");
        RuleForEach(r => r.Inputs.Keys).NotEmpty()
            .OverridePropertyName("inputs").WithMessage("input ids must be non-empty");
        RuleFor(r => r.Inputs).Custom((inputs, context) =>
        {
            var errors = new FieldErrors();
            IndexLimits.CheckFlattened("inputs", inputs, errors);
            errors.CopyTo(context);
        });
        When(r => r.Subscriber is not null, () =>
        {
            RuleFor(r => r.Subscriber!.SuccessUri).Must(BeAbsoluteUri)
                .OverridePropertyName("subscriber.successUri").WithMessage("must be an absolute http(s) URI");
            RuleFor(r => r.Subscriber!.InProgressUri).Must(BeAbsoluteUri)
                .OverridePropertyName("subscriber.inProgressUri").WithMessage("must be an absolute http(s) URI");
            RuleFor(r => r.Subscriber!.FailedUri).Must(BeAbsoluteUri)
                .OverridePropertyName("subscriber.failedUri").WithMessage("must be an absolute http(s) URI");
        });
    }

    /// <summary>Why <c>"mode": "sync"</c> is refused (docs/decisions.md, "Execution is always asynchronous").</summary>
    public const string SyncRefused =
        "cannot be sync: Jobs records jobs that workers run and report on later, so execution is always asynchronous; "
        + "send \"async\" (or leave mode out) and follow the job at the Location of the answer";

    private static bool BeAbsoluteUri(string? uri) =>
        uri is null || (Uri.TryCreate(uri, UriKind.Absolute, out var u) && u.Scheme is "http" or "https");
}
