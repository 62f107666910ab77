using KpiBot.Domain;
using KpiBot.Import;
using KpiBot.Tests.Storage;

namespace KpiBot.Tests.Import;

public sealed class MavenImportTests
{
    private const string Ws = "local:maven";

    private static (TempStore Store, ImportReport Report) ImportMaven(string? currency = "USD")
    {
        var t = new TempStore(seed: false);
        var report = new DealImporter(t.Store, t.Clock).Import(new DealImportRequest(MavenFile.Pipeline, Ws, Currency: currency));
        return (t, report);
    }

    [Fact]
    public void The_real_export_imports_won_lost_and_open_deals_and_skips_undated_prospects()
    {
        var (t, report) = ImportMaven();
        using var _ = t;

        Assert.Equal(CrmFormat.Maven, report.Format);
        Assert.Equal(MavenFile.Rows().Count, report.RowsRead);
        Assert.Equal(MavenFile.CountStage("Won"), report.Won);
        Assert.Equal(MavenFile.CountStage("Lost"), report.Lost);
        Assert.Equal(MavenFile.CountStage("Engaging"), report.Open);
        var skip = Assert.Single(report.Skipped);
        Assert.Equal(MavenFile.Rows().Count(r => r[4] == "Prospecting" && r[5] == ""), skip.Count);
        Assert.StartsWith("Prospecting without engage_date", skip.Reason, StringComparison.Ordinal);
        Assert.Equal((report.Imported, 0, 0), (report.Store.Inserted, report.Store.Updated, report.Store.Unchanged));

        var deals = t.Store.GetDeals(Ws, null);
        Assert.Equal(report.Imported, deals.Count);
        Assert.All(deals, d => Assert.Equal("USD", d.Currency));
    }

    [Fact]
    public void Won_count_and_value_per_agent_match_an_independent_count()
    {
        var (t, _) = ImportMaven();
        using var _t = t;
        var people = t.Store.ListPeople(Ws).ToDictionary(p => p.Id);
        var won = t.Store.GetDeals(Ws, null).Where(d => d.Outcome == DealOutcome.Won)
            .GroupBy(d => people[d.OwnerId].DisplayName)
            .ToDictionary(g => g.Key, g => (g.Count(), g.Sum(d => d.Value)));

        Assert.Equal(MavenFile.WonByAgent().OrderBy(kv => kv.Key), won.OrderBy(kv => kv.Key));
        // Anna Snelling, checked by hand as well: 208 deals won for 275,056 USD.
        Assert.Equal((208, 275_056m), won["Anna Snelling"]);
    }

    [Fact]
    public void Agents_become_reps_and_managers_come_from_sales_teams_beside_the_file()
    {
        var (t, report) = ImportMaven();
        using var _ = t;
        var people = t.Store.ListPeople(Ws, TeamIds.Default);
        var anna = people.Single(p => p.DisplayName == "Anna Snelling");
        var dustin = people.Single(p => p.DisplayName == "Dustin Brinkmann");
        Assert.Equal(Role.Rep, anna.Role);
        Assert.Equal(Role.Manager, dustin.Role);
        Assert.Equal(dustin.Id, anna.ManagerId);
        Assert.Null(anna.PlatformUserId);
        var agents = MavenFile.Rows().Select(r => r[1]).Distinct().Count();
        Assert.Equal(agents, people.Count(p => p.Role == Role.Rep));
        Assert.Equal(agents + people.Count(p => p.Role == Role.Manager), report.PeopleCreated);
    }

    [Fact]
    public void Rows_map_to_deals_with_dates_stage_history_and_list_prices_for_unknown_amounts()
    {
        var (t, _) = ImportMaven();
        using var _t = t;
        var rows = MavenFile.Rows();
        var wonRow = rows.First(r => r[4] == "Won");
        var won = t.Store.GetDeals(Ws, null).Single(d => d.ExternalId == wonRow[0]);
        Assert.Equal(DealOutcome.Won, won.Outcome);
        Assert.Equal(decimal.Parse(wonRow[7], System.Globalization.CultureInfo.InvariantCulture), won.Value);
        Assert.Equal(DateOnly.Parse(wonRow[5], System.Globalization.CultureInfo.InvariantCulture), won.StartDate);
        Assert.Equal(DateOnly.Parse(wonRow[6], System.Globalization.CultureInfo.InvariantCulture), won.CloseDate);
        Assert.Equal([new StageChange("qualified", won.StartDate)], won.History);
        Assert.Equal($"{wonRow[3]} · {wonRow[2]}", won.Name);

        // Engaging → open in Qualified; Maven has no amount, so the product's list price (GTXPro = "GTX Pro" 4,821).
        var engaging = rows.First(r => r[4] == "Engaging" && r[2] == "GTXPro");
        var open = t.Store.GetDeals(Ws, null).Single(d => d.ExternalId == engaging[0]);
        Assert.Equal((DealOutcome.Open, "qualified", 4821m, (DateOnly?)null), (open.Outcome, open.Stage, open.Value, open.CloseDate));

        var lostRow = rows.First(r => r[4] == "Lost" && r[2] == "MG Special");
        var lost = t.Store.GetDeals(Ws, null).Single(d => d.ExternalId == lostRow[0]);
        Assert.Equal((DealOutcome.Lost, 55m), (lost.Outcome, lost.Value));
    }

    [Fact]
    public void Importing_the_same_file_twice_changes_nothing()
    {
        var (t, first) = ImportMaven();
        using var _ = t;
        var auditBefore = t.Store.Audit(Ws);
        var dealsBefore = t.Store.GetDeals(Ws, null);

        var second = new DealImporter(t.Store, t.Clock).Import(new DealImportRequest(MavenFile.Pipeline, Ws, Currency: "USD"));

        Assert.Equal(new BulkResultView(0, 0, first.Imported), new BulkResultView(second.Store.Inserted, second.Store.Updated, second.Store.Unchanged));
        Assert.Null(second.Store.ChangeId);
        Assert.Equal(0, second.PeopleCreated + second.PeopleUpdated);
        Assert.Equal(auditBefore, t.Store.Audit(Ws));
        Assert.Equal(dealsBefore.Select(d => (d.Id, d.Value, d.Stage, d.Outcome)), t.Store.GetDeals(Ws, null).Select(d => (d.Id, d.Value, d.Stage, d.Outcome)));
    }

    [Fact]
    public void Undo_of_an_import_removes_its_deals_and_people()
    {
        var (t, report) = ImportMaven();
        using var _ = t;
        t.Store.Undo(Ws, report.Store.ChangeId!, t.Clock.GetUtcNow());
        Assert.Empty(t.Store.GetDeals(Ws, null));
        Assert.Empty(t.Store.ListPeople(Ws));
    }

    [Fact]
    public void Without_a_currency_option_amounts_take_the_team_currency()
    {
        var (t, report) = ImportMaven(currency: null);
        using var _ = t;
        Assert.Equal(TeamSettings.Default.Currency, report.Currency);
        Assert.All(t.Store.GetDeals(Ws, null), d => Assert.Equal(TeamSettings.Default.Currency, d.Currency));
    }

    private sealed record BulkResultView(int Inserted, int Updated, int Unchanged);
}
