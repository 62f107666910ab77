using KpiBot.Kpis;

namespace KpiBot.Core.Tests.Kpis;

public class IsoWeeksTests
{
    [Theory]
    [InlineData("2026-11-29", "2026-W48", "2026-11-23")] // Sunday: its own week has just ended
    [InlineData("2026-11-30", "2026-W48", "2026-11-23")] // Monday: the new week has only started
    [InlineData("2026-12-04", "2026-W48", "2026-11-23")] // Friday
    [InlineData("2026-11-28", "2026-W47", "2026-11-16")] // Saturday: W48 is not complete yet
    [InlineData("2027-01-03", "2026-W53", "2026-12-28")] // 2026 has 53 ISO weeks; W53 ends on 2027-01-03
    [InlineData("2027-01-04", "2026-W53", "2026-12-28")]
    [InlineData("2027-01-10", "2027-W01", "2027-01-04")]
    [InlineData("2021-01-03", "2020-W53", "2020-12-28")]
    [InlineData("2025-12-31", "2025-W52", "2025-12-22")] // 2025-12-29 starts 2026-W01, not yet complete
    public void Last_complete_week_as_of_a_local_day(string asOf, string label, string monday)
    {
        var week = IsoWeeks.LastCompleteWeek(DateOnly.Parse(asOf, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(label, week.Label);
        Assert.Equal(DateOnly.Parse(monday, System.Globalization.CultureInfo.InvariantCulture), week.Monday);
        Assert.Equal(DayOfWeek.Sunday, week.Sunday.DayOfWeek);
    }

    [Fact]
    public void A_window_is_consecutive_complete_weeks_oldest_first_across_new_year()
    {
        var weeks = IsoWeeks.LastCompleteWeeks(new DateOnly(2027, 1, 17), 3);

        Assert.Equal(["2026-W53", "2027-W01", "2027-W02"], weeks.Select(w => w.Label));
        Assert.All(weeks.Zip(weeks.Skip(1)), pair => Assert.Equal(pair.First.Sunday.AddDays(1), pair.Second.Monday));
    }

    [Fact]
    public void A_window_must_have_at_least_one_week()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => IsoWeeks.LastCompleteWeeks(TestData.AsOf, 0));
    }
}
