using KpiBot.Scheduling;

namespace KpiBot.Tests.Scheduling;

public sealed class NudgeCalendarTests
{
    // Europe/Stockholm: 2027-03-28 02:00 CET → 03:00 CEST (spring forward); 2026-10-25 03:00 CEST → 02:00 CET (fall back).
    // America/New_York: 2027-03-14 02:00 EST → 03:00 EDT; 2026-11-01 02:00 EDT → 01:00 EST.
    //
    //   Stockholm, Sunday 2027-03-28      01:59 CET ──┐ gap: 02:00–02:59 never happens ┌── 03:00 CEST
    //   a nudge at 02:30 fires at the first valid instant after the gap: 03:00 CEST = 01:00 UTC.
    //   Stockholm, Sunday 2026-10-25      02:00–02:59 CEST, then 02:00–02:59 CET again
    //   a nudge at 02:30 fires once, at the first 02:30 (CEST) = 00:30 UTC.
    [Theory]
    [InlineData("Europe/Stockholm", DayOfWeek.Sunday, "02:30", "2027-03-27T12:00:00Z", "2027-03-28T01:00:00Z")] // spring gap → 03:00 CEST
    [InlineData("Europe/Stockholm", DayOfWeek.Sunday, "02:30", "2026-10-24T12:00:00Z", "2026-10-25T00:30:00Z")] // ambiguous → first (CEST)
    [InlineData("Europe/Stockholm", DayOfWeek.Friday, "15:00", "2027-03-22T00:00:00Z", "2027-03-26T14:00:00Z")] // CET, UTC+1
    [InlineData("Europe/Stockholm", DayOfWeek.Friday, "15:00", "2027-03-29T00:00:00Z", "2027-04-02T13:00:00Z")] // CEST, UTC+2
    [InlineData("America/New_York", DayOfWeek.Sunday, "02:30", "2027-03-13T12:00:00Z", "2027-03-14T07:00:00Z")] // spring gap → 03:00 EDT
    [InlineData("America/New_York", DayOfWeek.Sunday, "01:30", "2026-10-31T12:00:00Z", "2026-11-01T05:30:00Z")] // ambiguous → first (EDT)
    [InlineData("America/New_York", DayOfWeek.Monday, "09:00", "2026-11-01T12:00:00Z", "2026-11-02T14:00:00Z")] // EST, UTC−5
    [InlineData("America/New_York", DayOfWeek.Monday, "09:00", "2026-10-25T12:00:00Z", "2026-10-26T13:00:00Z")] // EDT, UTC−4
    public void NextOccurrenceHonoursTheZoneAcrossDaylightSaving(string zoneId, DayOfWeek day, string time, string after, string expected)
    {
        var zone = NudgeCalendar.ResolveZone(zoneId);
        var next = NudgeCalendar.NextOccurrence(day, TimeOnly.Parse(time, System.Globalization.CultureInfo.InvariantCulture), zone, DateTimeOffset.Parse(after, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), next);
    }

    [Theory]
    [InlineData("Europe/Stockholm", "02:30", "2027-03-20T00:00:00Z", "2027-04-04T00:00:00Z")] // spring forward inside
    [InlineData("Europe/Stockholm", "02:30", "2026-10-17T00:00:00Z", "2026-11-01T00:00:00Z")] // fall back inside
    [InlineData("America/New_York", "02:30", "2027-03-06T00:00:00Z", "2027-03-21T00:00:00Z")]
    [InlineData("America/New_York", "01:30", "2026-10-24T00:00:00Z", "2026-11-08T00:00:00Z")]
    public void ExactlyOneOccurrencePerWeekAroundTheChange(string zoneId, string time, string from, string to)
    {
        var zone = NudgeCalendar.ResolveZone(zoneId);
        var occurrences = NudgeCalendar.OccurrencesBetween(DayOfWeek.Sunday, TimeOnly.Parse(time, System.Globalization.CultureInfo.InvariantCulture), zone,
            DateTimeOffset.Parse(from, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.Parse(to, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(2, occurrences.Count);
        Assert.Equal(2, occurrences.Select(o => NudgeCalendar.IsoWeekOf(o, zone)).Distinct().Count());
    }

    [Theory]
    [InlineData("2026-12-04", "2026-W49")]
    [InlineData("2027-01-01", "2026-W53")] // Friday 1 January 2027 still belongs to ISO week 53 of 2026
    [InlineData("2027-01-04", "2027-W01")]
    public void IsoWeeksFollowTheIsoCalendar(string date, string week) =>
        Assert.Equal(week, NudgeCalendar.IsoWeekOf(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("2026-12-04", "2026-12-09", 2)] // Fri → Wed: Mon, Tue
    [InlineData("2026-12-04", "2026-12-07", 0)] // Fri → Mon: only the weekend in between
    [InlineData("2026-12-01", "2026-12-04", 2)] // Tue → Fri: Wed, Thu
    public void WorkingDaysSkipWeekends(string after, string before, int expected) =>
        Assert.Equal(expected, NudgeCalendar.WorkingDaysBetween(DateOnly.Parse(after, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(before, System.Globalization.CultureInfo.InvariantCulture), _ => false));

    [Fact]
    public void AwayDaysAreNotWorkingDays()
    {
        var away = new KpiBot.Domain.AwayPeriod(new DateOnly(2026, 12, 7), new DateOnly(2026, 12, 8));
        Assert.Equal(0, NudgeCalendar.WorkingDaysBetween(new DateOnly(2026, 12, 4), new DateOnly(2026, 12, 9), away.Contains));
    }

    [Fact]
    public void AnUnknownZoneFallsBackToTheTeamZone() =>
        Assert.Equal("Europe/Stockholm", NudgeCalendar.ResolveZone("Mars/Olympus", "Europe/Stockholm").Id);
}
