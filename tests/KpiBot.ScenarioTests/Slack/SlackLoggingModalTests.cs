using KpiBot.Channels.Slack;
using KpiBot.Replies;

namespace KpiBot.ScenarioTests.Slack;

/// <summary>Field-by-field checks of the logging modal, and mention stripping.</summary>
public sealed class SlackLoggingModalTests
{
    private static readonly DateOnly Today = new(2026, 12, 4);

    private static readonly Form Form = new("log", "Log", [
        new FormField("date", "Day", FormFieldKind.Date, Required: true),
        new FormField("booked", "Meetings booked", FormFieldKind.Number, 0, 200),
        new FormField("held", "Meetings held", FormFieldKind.Number, 0, 200),
    ], "Log");

    private static LoggingModalCheck Check(string? date, string? booked, string? held) =>
        SlackLoggingModal.Check(Form, new Dictionary<string, (string, string?)>
        {
            ["date"] = ("blk_date", date),
            ["booked"] = ("blk_booked", booked),
            ["held"] = ("blk_held", held),
        }, Today);

    [Theory]
    [InlineData("2026-12-04", "5", "3", "log 2026-12-04 booked 5 held 3")]
    [InlineData("2026-12-01", " 7 ", null, "log 2026-12-01 booked 7")]
    [InlineData("2026-12-04", "0", "", "log 2026-12-04 booked 0")]
    [InlineData("2025-12-04", null, "200", "log 2025-12-04 held 200")]
    public void Good_values_become_the_log_command(string date, string? booked, string? held, string command)
    {
        var check = Check(date, booked, held);

        Assert.Empty(check.Errors);
        Assert.Equal(command, check.Command);
    }

    [Theory]
    [InlineData("2026-12-05", "5", "3", "blk_date", "is in the future")]
    [InlineData("04/12/2026", "5", "3", "blk_date", "Use YYYY-MM-DD")]
    [InlineData(null, "5", "3", "blk_date", "Day is required")]
    [InlineData("2026-12-04", "five", "3", "blk_booked", "not a whole number")]
    [InlineData("2026-12-04", "1e3", "3", "blk_booked", "not a whole number")]
    [InlineData("2026-12-04", "5", "201", "blk_held", "more than 200 in a day")]
    [InlineData("2026-12-04", "-3", "3", "blk_booked", "cannot be negative")]
    [InlineData("2026-12-04", null, null, "blk_booked", "at least one number")]
    public void A_bad_value_is_reported_under_its_own_block(string? date, string? booked, string? held, string block, string message)
    {
        var check = Check(date, booked, held);

        Assert.Null(check.Submission);
        Assert.Contains(message, check.Errors[block], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<@U123> log booked 5", true, "log booked 5")]
    [InlineData("log <@U123> booked 5", false, "log booked 5")]
    [InlineData("<@U999|kpibot> my stats", true, "my stats")]
    [InlineData("how is <@U777> trending", false, "how is <@U777> trending")]
    [InlineData("<@U123>", true, "")]
    public void Kpibots_own_mention_is_removed_and_others_kept(string text, bool isMention, string expected) =>
        Assert.Equal(expected, SlackInbound.StripMentions(text, new HashSet<string> { "U123" }, isMention));
}
