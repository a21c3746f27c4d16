using FluentValidation;
using Jobs.Core.Jobs;
using Jobs.Core.Validation;

namespace Jobs.Core.Updates;

/// <summary>The value rules of an update message (types are checked by <see cref="UpdateMessageReader"/>).</summary>
public sealed class UpdateMessageValidator : AbstractValidator<UpdateMessage>
{
    public const int MaxLabelLength = 256;
    public const int MaxIdLength = 128;

    public UpdateMessageValidator()
    {
        RuleFor(m => m.Version).Equal(UpdateMessage.CurrentVersion)
            .OverridePropertyName("version").WithMessage("must be 1 (the only message version)");
        RuleFor(m => m.Id).Must(id => !string.IsNullOrWhiteSpace(id) && id.Length <= MaxIdLength)
            .OverridePropertyName("id").WithMessage($"must be a non-empty string of at most {MaxIdLength} characters");
        RuleFor(m => m.JobId).Must(JobIds.IsWellFormed)
            .OverridePropertyName("job-id").WithMessage("must be a job id (1 to 128 characters, no '/')");
        RuleFor(m => m.Token).Must(t => !string.IsNullOrEmpty(t))
            .OverridePropertyName("token").WithMessage("must be the job's update token");
        RuleFor(m => m.Time).NotEqual(default(DateTimeOffset))
            .OverridePropertyName("time").WithMessage("must be the event time");
        RuleFor(m => m.Progress).InclusiveBetween(0, 100).When(m => m.Progress is not null)
            .OverridePropertyName("progress").WithMessage("must be between 0 and 100");
        RuleFor(m => m.Stage).MaximumLength(MaxLabelLength)
            .OverridePropertyName("stage").WithMessage($"must be at most {MaxLabelLength} characters");
        RuleFor(m => m.Error!.Type).Must(t => !string.IsNullOrWhiteSpace(t)).When(m => m.Error is not null)
            .OverridePropertyName("error.type").WithMessage("must be a non-empty string");
        RuleForEach(m => m.Outputs!.Keys).NotEmpty().When(m => m.Outputs is not null)
            .OverridePropertyName("outputs").WithMessage("output ids must be non-empty");
        RuleFor(m => m.Outputs).Custom((outputs, context) =>
        {
            var errors = new FieldErrors();
            IndexLimits.CheckFlattened("outputs", outputs ?? new Dictionary<string, System.Text.Json.JsonElement>(), errors);
            errors.CopyTo(context);
        });
        RuleFor(m => m.Error).Custom((error, context) =>
        {
            var errors = new FieldErrors();
            IndexLimits.CheckKeyword("error.type", error?.Type, errors);
            errors.CopyTo(context);
        });
        RuleForEach(m => m.Labels!.Add).Must(BeALabel).When(m => m.Labels?.Add is not null)
            .OverridePropertyName("labels.add").WithMessage(LabelRule);
        RuleForEach(m => m.Labels!.Remove).Must(BeALabel).When(m => m.Labels?.Remove is not null)
            .OverridePropertyName("labels.remove").WithMessage(LabelRule);
    }

    internal const string LabelRule = "labels must be non-empty strings of at most 256 characters";

    internal static bool BeALabel(string label) => !string.IsNullOrWhiteSpace(label) && label.Length <= MaxLabelLength;
}
