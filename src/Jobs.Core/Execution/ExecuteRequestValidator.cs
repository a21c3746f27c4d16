using FluentValidation;
using Jobs.Core.Updates;

namespace Jobs.Core.Execution;

/// <summary>The value rules of an execute request, whichever encoding it came in.</summary>
public sealed class ExecuteRequestValidator : AbstractValidator<ExecuteRequest>
{
    public ExecuteRequestValidator()
    {
        RuleFor(r => r.Response).Must(r => r is "raw" or "document")
            .OverridePropertyName("response").WithMessage("must be raw or document");
        RuleFor(r => r.Mode).Must(m => m is null or "async" or "sync" or "auto")
            .OverridePropertyName("mode").WithMessage("must be async, sync or auto");
        RuleForEach(r => r.Labels).Must(UpdateMessageValidator.BeALabel)
            .OverridePropertyName("labels").WithMessage(UpdateMessageValidator.LabelRule);
        RuleFor(r => r.Labels.Count).LessThanOrEqualTo(100)
            .OverridePropertyName("labels").WithMessage("at most 100 labels");
        RuleForEach(r => r.Inputs.Keys).NotEmpty()
            .OverridePropertyName("inputs").WithMessage("input ids must be non-empty");
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

    private static bool BeAbsoluteUri(string? uri) =>
        uri is null || (Uri.TryCreate(uri, UriKind.Absolute, out var u) && u.Scheme is "http" or "https");
}
