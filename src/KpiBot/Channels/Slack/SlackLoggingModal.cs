using System.Globalization;
using System.Text;
using KpiBot.Conversation;
using KpiBot.Domain;
using KpiBot.Replies;
using KpiBot.Storage;

namespace KpiBot.Channels.Slack;

/// <summary>The outcome of checking a submitted logging modal.</summary>
/// <param name="Errors">block_id → message for every field that was wrong (empty when the submission is good).</param>
/// <param name="Submission">The checked values (field id → value) when there were no errors.</param>
/// <param name="Command">The same numbers as the chat command a person would type (<c>log 2026-12-04 booked 5 held 3</c>).</param>
public sealed record LoggingModalCheck(IReadOnlyDictionary<string, string> Errors, FormSubmission? Submission, string? Command);

/// <summary>
/// The logging modal that <c>/kpi</c> with no text opens: a date and one whole-number input per logged
/// statistic of the person's team. Submissions are checked here, field by field, so a bad value is shown
/// under its input (<c>response_action: errors</c>) and nothing reaches the store.
/// </summary>
public sealed class SlackLoggingModal(IKpiStore store)
{
    /// <summary>The modal's callback id (comes back in view_submission).</summary>
    public const string CallbackId = "kpibot_log";

    /// <summary>The form id the bot receives in <see cref="FormSubmission.FormId"/>.</summary>
    public const string FormId = "log";

    /// <summary>The date field's id.</summary>
    public const string DateField = "date";

    /// <summary>A button whose value is exactly this opens the modal instead of running a command.</summary>
    public const string OpenCommand = "log";

    /// <summary>The form for a person of a workspace (their team's logged statistics, or the defaults).</summary>
    public Form Build(string workspaceId, string userId, DateOnly today)
    {
        var (metrics, maxDaily) = MetricsFor(workspaceId, userId);
        var fields = new List<FormField>
        {
            new(DateField, "Day", FormFieldKind.Date, Value: today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Required: true),
        };
        fields.AddRange(metrics.Select(m => new FormField(m.Key, m.DisplayName, FormFieldKind.Number, Min: 0, Max: maxDaily, Placeholder: "0")));
        return new Form(FormId, "Log your numbers", fields, "Log");
    }

    /// <summary>
    /// Checks a submission against the form. <paramref name="values"/> maps field id → (block_id it came
    /// in, raw value). Every wrong field gets its own message; at least one number is required.
    /// </summary>
    public static LoggingModalCheck Check(Form form, IReadOnlyDictionary<string, (string BlockId, string? Value)> values, DateOnly today)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var accepted = new Dictionary<string, string>(StringComparer.Ordinal);
        var command = new StringBuilder("log");
        var anyNumber = false;
        foreach (var field in form.Fields)
        {
            var (blockId, raw) = values.TryGetValue(field.Id, out var found) ? found : (field.Id, null);
            var value = raw?.Trim();
            if (string.IsNullOrEmpty(value))
            {
                if (field.Required)
                {
                    errors[blockId] = $"{field.Label} is required.";
                }
                continue;
            }
            switch (field.Kind)
            {
                case FormFieldKind.Number:
                    if (!long.TryParse(value, NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
                    {
                        errors[blockId] = $"'{Clip(value)}' is not a whole number. Type a count such as 5.";
                    }
                    else if (field.Min is { } min && number < min)
                    {
                        errors[blockId] = $"{number} is below {min.ToString(CultureInfo.InvariantCulture)}: counts cannot be negative.";
                    }
                    else if (field.Max is { } max && number > max)
                    {
                        errors[blockId] = $"{number} is more than {max.ToString(CultureInfo.InvariantCulture)} in a day, which looks like a typo. Log at most {max.ToString(CultureInfo.InvariantCulture)}.";
                    }
                    else
                    {
                        accepted[field.Id] = number.ToString(CultureInfo.InvariantCulture);
                        command.Append(CultureInfo.InvariantCulture, $" {field.Id} {number}");
                        anyNumber = true;
                    }
                    break;
                case FormFieldKind.Date:
                    if (!DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                    {
                        errors[blockId] = $"'{Clip(value)}' is not a date. Use YYYY-MM-DD, e.g. {today:yyyy-MM-dd}.";
                    }
                    else if (date > today)
                    {
                        errors[blockId] = $"{date:yyyy-MM-dd} is in the future. Log today ({today:yyyy-MM-dd}) or an earlier day.";
                    }
                    else
                    {
                        accepted[field.Id] = value;
                        command.Insert(3, " " + value);
                    }
                    break;
                default:
                    accepted[field.Id] = value;
                    break;
            }
        }
        if (!anyNumber && errors.Count == 0)
        {
            var firstNumber = form.Fields.FirstOrDefault(f => f.Kind == FormFieldKind.Number);
            if (firstNumber is not null)
            {
                var blockId = values.TryGetValue(firstNumber.Id, out var f) ? f.BlockId : firstNumber.Id;
                errors[blockId] = "Enter at least one number, e.g. 5 here.";
            }
        }
        return errors.Count > 0
            ? new LoggingModalCheck(errors, null, null)
            : new LoggingModalCheck(errors, new FormSubmission(form.FormId, accepted), command.ToString());
    }

    /// <summary>
    /// The submitted values by field id. The renderer names each input block or action after its field id;
    /// both are looked at so either naming works.
    /// </summary>
    public static IReadOnlyDictionary<string, (string BlockId, string? Value)> ReadState(Form form, SlackViewState? state)
    {
        var result = new Dictionary<string, (string, string?)>(StringComparer.Ordinal);
        var ids = form.Fields.Select(f => f.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var (blockId, actions) in state?.Values ?? new Dictionary<string, IReadOnlyDictionary<string, SlackInputValue>>())
        {
            foreach (var (actionId, input) in actions)
            {
                var fieldId = ids.Contains(blockId) ? blockId : ids.Contains(actionId) ? actionId : null;
                if (fieldId is not null)
                {
                    result[fieldId] = (blockId, input.Value ?? input.SelectedDate ?? input.SelectedOption?.Value);
                }
            }
        }
        return result;
    }

    private (IReadOnlyList<MetricDefinition> Metrics, int MaxDaily) MetricsFor(string workspaceId, string userId)
    {
        var person = store.FindPersonByPlatformUser(workspaceId, userId);
        var team = person is null ? store.ListTeams(workspaceId).FirstOrDefault() : store.FindTeam(workspaceId, person.TeamId);
        var metrics = (team?.Metrics ?? Defaults.Metrics).Where(m => m.Source == MetricSource.Logged).OrderBy(m => m.Phase ?? int.MaxValue).ToList();
        return (metrics.Count > 0 ? metrics : Defaults.Metrics.Where(m => m.Source == MetricSource.Logged).ToList(),
            team?.Settings.MaxDailyCount ?? TeamSettings.Default.MaxDailyCount);
    }

    private static string Clip(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
