using KpiBot.Domain;
using KpiBot.Import;
using KpiBot.Tests.Storage;

namespace KpiBot.Tests.Import;

public sealed class GenericImportTests
{
    private const string Ws = "slack:T42";

    private static string Write(TempStore t, string name, string content)
    {
        Directory.CreateDirectory(t.Directory);
        var path = Path.Combine(t.Directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static ImportReport Run(TempStore t, string path, string? map = null, CrmFormat format = CrmFormat.Auto, string? currency = null, string? team = null) =>
        new DealImporter(t.Store, t.Clock).Import(new DealImportRequest(path, Ws, team, format, CrmCsv.ParseMap(map), currency));

    private const string GenericMap = "id=Opp Id,owner=Rep,stage=Status,start=Created,close=Closed,value=Amount,name=Deal";

    [Fact]
    public void A_semicolon_export_with_a_column_map_imports_and_explains_every_skip()
    {
        using var t = new TempStore(seed: false);
        var path = Write(t, "export.csv", string.Join("\n",
            "Opp Id;Rep;Status;Created;Closed;Amount;Deal",
            "A1;Åsa Öberg;Closed Won;2026-09-01;2026-10-15;120 000;Acme",
            "A2;asa oberg;Lost;2026-09-03;2026-10-01;;Beta",
            "A3;Bo Ek;Proposal;2026-10-01;2027-01-31;50000.50;Gamma",
            "A4;Bo Ek;Frozen;2026-10-01;;10;Delta",
            "A5;Bo Ek;Won;01/10/2026;2026-11-01;10;Eps",
            "A1;Bo Ek;Won;2026-09-01;2026-10-15;5;Dup",
            "A6;Bo Ek;Won;2026-09-01;2027-03-01;5;Future",
            ";Bo Ek;Won;2026-09-01;2026-10-01;5;NoId",
            "A7;Bo Ek;Won;2026-09-01;2026-10-01;;NoValue",
            ""));

        var report = Run(t, path, GenericMap, currency: "eur");

        Assert.Equal(CrmFormat.Generic, report.Format);
        Assert.Equal(9, report.RowsRead);
        Assert.Equal((1, 1, 1), (report.Won, report.Lost, report.Open));
        var reasons = report.Skipped.ToDictionary(s => s.Reason, s => s.Lines.Single());
        Assert.Equal(5, reasons.Single(r => r.Key.Contains("'Frozen' is neither Won, Lost nor a stage", StringComparison.Ordinal)).Value);
        Assert.Equal(6, reasons.Single(r => r.Key.Contains("start is not a date; expected yyyy-mm-dd", StringComparison.Ordinal)).Value);
        Assert.Equal(7, reasons.Single(r => r.Key.Contains("repeats an id", StringComparison.Ordinal)).Value);
        Assert.Equal(8, reasons.Single(r => r.Key.Contains("close is in the future", StringComparison.Ordinal)).Value);
        Assert.Equal(9, reasons.Single(r => r.Key.StartsWith("no id", StringComparison.Ordinal)).Value);
        Assert.Equal(10, reasons.Single(r => r.Key.StartsWith("Won without value", StringComparison.Ordinal)).Value);

        var deals = t.Store.GetDeals(Ws, null).ToDictionary(d => d.ExternalId!);
        Assert.Equal((DealOutcome.Won, 120_000m, "EUR", "Acme", "prospecting"), (deals["A1"].Outcome, deals["A1"].Value, deals["A1"].Currency, deals["A1"].Name, deals["A1"].Stage));
        Assert.Equal((DealOutcome.Open, "proposal", 50_000.50m, (DateOnly?)new DateOnly(2027, 1, 31), (DateOnly?)null),
            (deals["A3"].Outcome, deals["A3"].Stage, deals["A3"].Value, deals["A3"].ExpectedClose, deals["A3"].CloseDate));
        // "Åsa Öberg" and "asa oberg" are one person.
        Assert.Equal(deals["A1"].OwnerId, deals["A2"].OwnerId);
        Assert.Equal(2, t.Store.ListPeople(Ws).Count);
    }

    [Fact]
    public void People_who_already_exist_in_the_workspace_are_reused_by_name()
    {
        using var t = new TempStore(seed: false);
        t.Store.EnsureWorkspace(Ws, Platform.Slack, "Acme", TempStore.Now);
        var bo = new Person("U-BO", Ws, TeamIds.Default, "Bo Ek", Role.Admin, "U0BO", null, [], null, TempStore.Now);
        t.Store.Apply(new ChangeSet(Ws, "U-BO", "evt", "", TempStore.Now, [], [], [bo], []));
        var path = Write(t, "deals.csv", "id,owner,stage,start,close,value\nB1,BO EK,won,2026-09-01,2026-10-01,100\n");

        var report = Run(t, path);

        Assert.Equal(0, report.PeopleCreated);
        Assert.Equal("U-BO", t.Store.GetDeals(Ws, null).Single().OwnerId);
        Assert.Equal(Role.Admin, t.Store.FindPerson(Ws, "U-BO")!.Role);
    }

    [Fact]
    public void A_changed_row_is_updated_on_re_import_and_the_rest_is_unchanged()
    {
        using var t = new TempStore(seed: false);
        var path = Write(t, "deals.csv", "id,owner,stage,start,close,value\nB1,Bo,won,2026-09-01,2026-10-01,100\nB2,Bo,qualified,2026-09-01,,200\n");
        Run(t, path);
        File.WriteAllText(path, "id,owner,stage,start,close,value\nB1,Bo,won,2026-09-01,2026-10-01,100\nB2,Bo,won,2026-09-01,2026-11-01,250\n");

        var report = Run(t, path);

        Assert.Equal((0, 1, 1), (report.Store.Inserted, report.Store.Updated, report.Store.Unchanged));
        var b2 = t.Store.GetDeals(Ws, null).Single(d => d.ExternalId == "B2");
        Assert.Equal((DealOutcome.Won, 250m), (b2.Outcome, b2.Value));
    }

    // ---- bad files: a clear error, nothing stored -----------------------------------------------------

    public static TheoryData<string, string?, CrmFormat, string> BadFiles => new()
    {
        { "opportunity_id,sales_agent,product,account,deal_stage,close_date,close_value\nX,A,P,Acc,Won,2017-01-01,1\n", null, CrmFormat.Maven, "no column 'engage_date' (the start field)" },
        { "Opp Id;Rep;Status\nA1;Bo;Won\n", GenericMap, CrmFormat.Auto, "no column 'Created' (the start field)" },
        { "name,amount\nAcme,1\n", null, CrmFormat.Auto, "Name the columns with --map" },
        { "", null, CrmFormat.Auto, "is empty; expected a header row" },
        { "id,owner,stage,start\n\"A1,Bo,won,2026-01-01\nB\"x\"y,Bo,won,2026-01-01\n", null, CrmFormat.Auto, "not a readable CSV file" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void A_bad_file_is_refused_naming_what_is_missing_and_nothing_is_stored(string content, string? map, CrmFormat format, string expected)
    {
        using var t = new TempStore(seed: false);
        var path = Write(t, "bad.csv", content);
        var error = Assert.Throws<ImportFileException>(() => Run(t, path, map, format));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Null(t.Store.FindWorkspace(Ws));
    }

    [Fact]
    public void Unknown_map_fields_teams_currencies_and_workspace_ids_are_refused()
    {
        using var t = new TempStore(seed: false);
        var path = Write(t, "deals.csv", "id,owner,stage,start\nB1,Bo,qualified,2026-09-01\n");
        Assert.Contains("does not read. Fields: id, owner", Assert.Throws<ImportFileException>(() => CrmCsv.ParseMap("amount=Amount")).Message, StringComparison.Ordinal);
        Assert.Contains("not field=column", Assert.Throws<ImportFileException>(() => CrmCsv.ParseMap("id")).Message, StringComparison.Ordinal);
        Assert.Contains("three letters", Assert.Throws<ImportFileException>(() => Run(t, path, currency: "dollars")).Message, StringComparison.Ordinal);
        Assert.Contains("leave out --team", Assert.Throws<ImportFileException>(() => Run(t, path, team: "north")).Message, StringComparison.Ordinal);
        Assert.Contains("local:demo", Assert.Throws<ImportFileException>(() =>
            new DealImporter(t.Store, t.Clock).Import(new DealImportRequest(path, "acme"))).Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", Assert.Throws<ImportFileException>(() => Run(t, path + ".missing")).Message, StringComparison.Ordinal);
        Assert.Null(t.Store.FindWorkspace(Ws));

        Run(t, path);
        Assert.Contains("has no team 'north'. Its teams: default", Assert.Throws<ImportFileException>(() => Run(t, path, team: "north")).Message, StringComparison.Ordinal);
    }
}
