using KpiBot.Conversation.Parsing;
using KpiBot.Domain;

namespace KpiBot.Tests.Conversation;

/// <summary>The command language, table by table. Today is Friday 2026-12-04 unless a row says otherwise.</summary>
public sealed class CommandParserTests
{
    private static readonly DateOnly Friday = new(2026, 12, 4);

    private static ParsedCommand Parse(string text, DateOnly? today = null) =>
        CommandParser.Parse(text, ParseContext.Default(today ?? Friday));

    private static ParseError Error(string text, DateOnly? today = null)
    {
        Assert.False(CommandParser.TryParse(text, ParseContext.Default(today ?? Friday), out var command, out var error), $"expected an error, got {command}");
        return error;
    }

    private static string Describe(LogCommand log) =>
        $"{log.Date:yyyy-MM-dd} " + string.Join(' ', log.Values.Select(v => $"{v.MetricKey}={v.Value}"));

    [Theory]
    [InlineData("log booked 5 held 3 qualified 2", "2026-12-04 booked=5 held=3 qualified=2")]
    [InlineData("booked 5, held 3", "2026-12-04 booked=5 held=3")]
    [InlineData("booked 5,held 3", "2026-12-04 booked=5 held=3")]
    [InlineData("5 booked 3 held", "2026-12-04 booked=5 held=3")]
    [InlineData("Held 2 yesterday", "2026-12-03 held=2")]
    [InlineData("yesterday held 2", "2026-12-03 held=2")]
    [InlineData("scheduled 4", "2026-12-04 booked=4")]
    [InlineData("completed 3", "2026-12-04 held=3")]
    [InlineData("sql 2", "2026-12-04 qualified=2")]
    [InlineData("SQLs 2", "2026-12-04 qualified=2")]
    [InlineData("mon booked 3", "2026-11-30 booked=3")]
    [InlineData("monday booked 3", "2026-11-30 booked=3")]
    [InlineData("on monday booked 3", "2026-11-30 booked=3")]
    [InlineData("fri booked 1", "2026-12-04 booked=1")]
    [InlineData("sat booked 1", "2026-11-28 booked=1")]
    [InlineData("thu held 1", "2026-12-03 held=1")]
    [InlineData("last friday held 2", "2026-11-27 held=2")]
    [InlineData("last thursday held 2", "2026-12-03 held=2")]
    [InlineData("log 2026-12-01 booked 4", "2026-12-01 booked=4")]
    [InlineData("booked 4 on 2026-12-01", "2026-12-01 booked=4")]
    [InlineData("today booked 0", "2026-12-04 booked=0")]
    [InlineData("log meetings booked 5 proposals 1", "2026-12-04 booked=5 proposals=1")]
    [InlineData("booked 5 and held 3", "2026-12-04 booked=5 held=3")]
    [InlineData("Bokade 1 booked 2", null)]
    [InlineData("proposal 2 quotes", null)]
    [InlineData("Åsa booked 1", null)]
    public void Logging_reads_metrics_numbers_and_days(string text, string? expected)
    {
        if (expected is null)
        {
            Assert.False(CommandParser.TryParse(text, ParseContext.Default(Friday), out _, out _));
            return;
        }
        var log = Assert.IsType<LogCommand>(Parse(text));
        Assert.Equal(expected, Describe(log));
    }

    [Theory]
    // Today Monday 2026-11-30: "mon" is today, "last monday" a week ago, "sun" yesterday.
    [InlineData("2026-11-30", "mon booked 1", "2026-11-30")]
    [InlineData("2026-11-30", "last monday booked 1", "2026-11-23")]
    [InlineData("2026-11-30", "sun booked 1", "2026-11-29")]
    [InlineData("2026-11-30", "tuesday booked 1", "2026-11-24")]
    [InlineData("2026-11-30", "yesterday booked 1", "2026-11-29")]
    // Today Sunday 2026-12-06: "sat" yesterday, "mon" this week's monday.
    [InlineData("2026-12-06", "sat booked 1", "2026-12-05")]
    [InlineData("2026-12-06", "mon booked 1", "2026-11-30")]
    [InlineData("2026-12-06", "last sunday booked 1", "2026-11-29")]
    // New year: yesterday of 2027-01-01 is 2026-12-31.
    [InlineData("2027-01-01", "yesterday booked 1", "2026-12-31")]
    [InlineData("2027-01-01", "thu booked 1", "2026-12-31")]
    public void Weekday_names_mean_the_most_recent_one(string today, string text, string expectedDate)
    {
        var log = Assert.IsType<LogCommand>(Parse(text, DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(expectedDate, log.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("bokked 5", "bokked", 1, "booked")]
    [InlineData("booked 5 hled 3", "hled", 3, "held")]
    [InlineData("booked 5 helt 3", "helt", 3, "held")]
    [InlineData("qualifed 2", "qualifed", 1, "qualified")]
    [InlineData("5 bookd", "bookd", 2, "booked")]
    [InlineData("booked -3", "-3", 2, null)]
    [InlineData("booked 2.5", "2.5", 2, "2")]
    [InlineData("booked 5000", "5000", 2, null)]
    [InlineData("booked 5 booked 3", "booked", 3, null)]
    [InlineData("booked 5 2026-12-05", "2026-12-05", 3, "today")]
    [InlineData("log 2027-01-01 held 2", "2027-01-01", 2, "today")]
    [InlineData("booked 5 held", "", 4, null)]
    [InlineData("booked 5 giraffes 3", "giraffes", 3, "booked 5 held 3")]
    [InlineData("log yesterday", "", 3, "booked 5 held 3")]
    [InlineData("booked 5 yesterday today", "today", 4, null)]
    [InlineData("revenue 5000", "revenue", 1, "won Acme 120k")]
    [InlineData("cycle value 5", "cycle", 1, "booked 5 held 3")]
    public void Logging_errors_name_the_word_and_position(string text, string word, int position, string? suggestion)
    {
        var error = Error(text);
        Assert.Equal(word, error.Word);
        Assert.Equal(position, error.Position);
        Assert.Equal(suggestion, error.Suggestion);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Theory]
    [InlineData("won Acme 120k", "Acme", 120000, "2026-12-04")]
    [InlineData("won Acme 120 000 kr", "Acme", 120000, "2026-12-04")]
    [InlineData("won Acme 120,000", "Acme", 120000, "2026-12-04")]
    [InlineData("won Acme 120000 SEK", "Acme", 120000, "2026-12-04")]
    [InlineData("won Acme SEK 120000", "Acme", 120000, "2026-12-04")]
    [InlineData("won Acme 1.2M", "Acme", 1200000, "2026-12-04")]
    [InlineData("won Acme 1.2m kr", "Acme", 1200000, "2026-12-04")]
    [InlineData("won Acme 1 200 000", "Acme", 1200000, "2026-12-04")]
    [InlineData("won Acme 120kr", "Acme", 120, "2026-12-04")]
    [InlineData("won Acme 120 tkr", "Acme", 120000, "2026-12-04")]
    [InlineData("won Acme Corp 75k yesterday", "Acme Corp", 75000, "2026-12-03")]
    [InlineData("won Nordic Tools AB 250k", "Nordic Tools AB", 250000, "2026-12-04")]
    public void Won_reads_name_amount_and_day(string text, string name, decimal value, string date)
    {
        var won = Assert.IsType<WonCommand>(Parse(text));
        Assert.Equal(name, won.DealName);
        Assert.Equal(value, won.Amount!.Value);
        Assert.Equal("SEK", won.Amount.Currency);
        Assert.Equal(date, won.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Won_without_amount_closes_an_open_deal_at_its_value()
    {
        var won = Assert.IsType<WonCommand>(Parse("won Acme"));
        Assert.Equal("Acme", won.DealName);
        Assert.Null(won.Amount);
    }

    [Theory]
    [InlineData("won 3", "3", 2, "won Acme 120k")]
    [InlineData("won Acme 120k USD", "120k", 3, null)]
    [InlineData("won Acme $120k", "$120k", 3, null)]
    [InlineData("won Acme 0", "0", 3, "120k")]
    [InlineData("won", "", 2, "won Acme")]
    [InlineData("won Acme 120k 2026-12-24", "2026-12-24", 4, "today")]
    public void Won_errors(string text, string word, int position, string? suggestion)
    {
        var error = Error(text);
        Assert.Equal((word, position, suggestion), (error.Word, error.Position, error.Suggestion));
    }

    [Theory]
    [InlineData("deal Acme 250k stage proposal close 2027-01-31", "Acme", 250000, "proposal", "2027-01-31")]
    [InlineData("deal Acme 250k", "Acme", 250000, null, null)]
    [InlineData("new deal Big Co 1.5M negotiation", "Big Co", 1500000, "negotiation", null)]
    [InlineData("deal Acme 250 000 kr stage quote expected close 2027-02-01", "Acme", 250000, "proposal", "2027-02-01")]
    [InlineData("deal Acme 80k close 2026-12-04", "Acme", 80000, null, "2026-12-04")]
    public void Deal_reads_value_stage_and_expected_close(string text, string name, decimal value, string? stage, string? close)
    {
        var deal = Assert.IsType<NewDealCommand>(Parse(text));
        Assert.Equal(name, deal.DealName);
        Assert.Equal(value, deal.Amount.Value);
        Assert.Equal(stage, deal.StageKey);
        Assert.Equal(close, deal.ExpectedClose?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("deal Acme stage proposal", "stage", 3)]
    [InlineData("deal Acme 250k stage propsal", "propsal", 5)]
    [InlineData("deal Acme 250k close 2026-11-01", "2026-11-01", 5)]
    [InlineData("deal Acme 250k banana", "banana", 4)]
    public void Deal_errors(string text, string word, int position)
    {
        var error = Error(text);
        Assert.Equal((word, position), (error.Word, error.Position));
    }

    [Fact]
    public void A_stage_typo_suggests_the_stage()
    {
        Assert.Equal("proposal", Error("move Acme to propsal").Suggestion);
    }

    [Theory]
    [InlineData("move Acme to negotiation", typeof(MoveDealCommand), "Acme")]
    [InlineData("move Acme Corp into contract", typeof(MoveDealCommand), "Acme Corp")]
    [InlineData("move Acme to won", typeof(WonCommand), "Acme")]
    [InlineData("move Acme to lost", typeof(LostCommand), "Acme")]
    [InlineData("lost Acme", typeof(LostCommand), "Acme")]
    [InlineData("lost Acme Corp yesterday", typeof(LostCommand), "Acme Corp")]
    public void Deal_moves(string text, Type type, string name)
    {
        var command = Parse(text);
        Assert.IsType(type, command);
        var actual = command switch
        {
            MoveDealCommand m => m.DealName,
            WonCommand w => w.DealName,
            LostCommand l => l.DealName,
            _ => "",
        };
        Assert.Equal(name, actual);
    }

    [Fact]
    public void Move_stage_is_resolved_to_its_key()
    {
        Assert.Equal("negotiation", Assert.IsType<MoveDealCommand>(Parse("move Acme into contract")).StageKey);
    }

    [Theory]
    [InlineData("away until 2026-12-20", "2026-12-04", "2026-12-20")]
    [InlineData("away till 2026-12-04", "2026-12-04", "2026-12-04")]
    [InlineData("away from 2026-12-21 to 2027-01-06", "2026-12-21", "2027-01-06")]
    [InlineData("away until tuesday", "2026-12-04", "2026-12-08")]
    public void Away(string text, string from, string to)
    {
        var away = Assert.IsType<AwayCommand>(Parse(text));
        Assert.Equal((from, to), (Readers.Iso(away.From), Readers.Iso(away.To)));
    }

    [Theory]
    [InlineData("away until 2026-12-01", "2026-12-01", 3)]
    [InlineData("away", "", 2)]
    [InlineData("away until soon", "soon", 3)]
    [InlineData("away until 2028-01-01", "2028-01-01", 3)]
    public void Away_errors(string text, string word, int position)
    {
        var error = Error(text);
        Assert.Equal((word, position), (error.Word, error.Position));
    }

    [Theory]
    [InlineData("my stats", QuestionKind.Stats, SubjectKind.Self, null)]
    [InlineData("how am I trending", QuestionKind.Trend, SubjectKind.Self, null)]
    [InlineData("how am i doing?", QuestionKind.Trend, SubjectKind.Self, null)]
    [InlineData("my funnel", QuestionKind.Funnel, SubjectKind.Self, null)]
    [InlineData("my trend", QuestionKind.Trend, SubjectKind.Self, null)]
    [InlineData("my pipeline", QuestionKind.Pipeline, SubjectKind.Self, null)]
    [InlineData("how is Anna trending", QuestionKind.Trend, SubjectKind.Person, "Anna")]
    [InlineData("how's anna doing?", QuestionKind.Trend, SubjectKind.Person, "anna")]
    [InlineData("how’s Anna doing", QuestionKind.Trend, SubjectKind.Person, "Anna")]
    [InlineData("how is Anna Snelling trending", QuestionKind.Trend, SubjectKind.Person, "Anna Snelling")]
    [InlineData("Anna trend", QuestionKind.Trend, SubjectKind.Person, "Anna")]
    [InlineData("anna stats", QuestionKind.Stats, SubjectKind.Person, "anna")]
    [InlineData("Anna funnel", QuestionKind.Funnel, SubjectKind.Person, "Anna")]
    [InlineData("funnel for Anna last 12 weeks", QuestionKind.Funnel, SubjectKind.Person, "Anna")]
    [InlineData("funnel for me", QuestionKind.Funnel, SubjectKind.Self, null)]
    [InlineData("stats for Björn Ek", QuestionKind.Stats, SubjectKind.Person, "Björn Ek")]
    [InlineData("pipeline for Anna", QuestionKind.Pipeline, SubjectKind.Person, "Anna")]
    [InlineData("team", QuestionKind.TeamStatus, SubjectKind.Team, null)]
    [InlineData("team status", QuestionKind.TeamStatus, SubjectKind.Team, null)]
    [InlineData("how are we doing", QuestionKind.TeamStatus, SubjectKind.Team, null)]
    [InlineData("how is the team doing", QuestionKind.TeamStatus, SubjectKind.Team, null)]
    [InlineData("team funnel last 12 weeks", QuestionKind.Funnel, SubjectKind.Team, null)]
    [InlineData("team pipeline", QuestionKind.Pipeline, SubjectKind.Team, null)]
    [InlineData("who needs coaching", QuestionKind.Coaching, SubjectKind.Team, null)]
    [InlineData("who needs coaching?", QuestionKind.Coaching, SubjectKind.Team, null)]
    [InlineData("forecast accuracy", QuestionKind.Forecast, SubjectKind.Team, null)]
    [InlineData("forecast accuracy in 2017", QuestionKind.Forecast, SubjectKind.Team, null)]
    [InlineData("forecast for Anna", QuestionKind.Forecast, SubjectKind.Person, "Anna")]
    [InlineData("team forecast accuracy", QuestionKind.Forecast, SubjectKind.Team, null)]
    public void Questions(string text, QuestionKind kind, SubjectKind subject, string? name)
    {
        var question = Assert.IsType<QuestionCommand>(Parse(text));
        Assert.Equal(kind, question.Kind);
        Assert.Equal(subject, question.Subject.Kind);
        Assert.Equal(name, question.Subject.Name);
    }

    [Theory]
    [InlineData("team funnel last 12 weeks", null, "2026-12-04", 12)]
    [InlineData("my stats last 6 weeks", null, "2026-12-04", 6)]
    [InlineData("my funnel in 2017", "2017-01-01", "2017-12-31", null)]
    [InlineData("forecast accuracy Q4 2017", "2017-10-01", "2017-12-31", null)]
    [InlineData("forecast accuracy in q2 2026", "2026-04-01", "2026-06-30", null)]
    [InlineData("funnel for Anna from 2026-09-01 to 2026-11-30", "2026-09-01", "2026-11-30", null)]
    [InlineData("team funnel between 2026-09-01 and 2026-11-30", "2026-09-01", "2026-11-30", null)]
    [InlineData("how is Anna trending as of 2026-10-31", null, "2026-10-31", null)]
    [InlineData("team status as of 2026-10-31", null, "2026-10-31", null)]
    [InlineData("my funnel last 3 months", "2026-09-01", "2026-11-30", null)]
    [InlineData("my funnel last quarter", "2026-07-01", "2026-09-30", null)]
    [InlineData("my funnel this year", "2026-01-01", "2026-12-04", null)]
    [InlineData("my funnel since 2026-06-01", "2026-06-01", "2026-12-04", null)]
    [InlineData("Anna trend last 10 weeks", null, "2026-12-04", 10)]
    public void Periods(string text, string? from, string to, int? weeks)
    {
        var question = Assert.IsType<QuestionCommand>(Parse(text));
        var period = question.Period!;
        Assert.Equal(from, period.From is { } f ? Readers.Iso(f) : null);
        Assert.Equal(to, Readers.Iso(period.To));
        Assert.Equal(weeks, period.Weeks);
    }

    [Theory]
    [InlineData("my funnel in 2031", "2031", 4)]
    [InlineData("my funnel from 2026-11-30 to 2026-09-01", "2026-11-30", 4)]
    [InlineData("my funnel last 500 weeks", "500", 4)]
    [InlineData("my funnel last 3 fortnights", "fortnights", 5)]
    [InlineData("my funnel as of 2027-01-01", "2027-01-01", 5)]
    [InlineData("my funnel yesterday", "yesterday", 3)]
    [InlineData("my wek", "wek", 2)]
    public void Period_errors(string text, string word, int position)
    {
        var error = Error(text);
        Assert.Equal((word, position), (error.Word, error.Position));
    }

    [Theory]
    [InlineData("undo", typeof(UndoCommand))]
    [InlineData("Undo", typeof(UndoCommand))]
    [InlineData("my week", typeof(MyWeekCommand))]
    [InlineData("help", typeof(HelpCommand))]
    [InlineData("help logging", typeof(HelpCommand))]
    [InlineData("metrics", typeof(ShowMetricsCommand))]
    [InlineData("stages", typeof(ShowStagesCommand))]
    [InlineData("demo", typeof(DemoCommand))]
    public void Simple_commands(string text, Type type)
    {
        Assert.IsType(type, Parse(text));
    }

    [Fact]
    public void Help_keeps_its_topic()
    {
        Assert.Equal("logging", Assert.IsType<HelpCommand>(Parse("help logging")).Topic);
        Assert.Null(Assert.IsType<HelpCommand>(Parse("help")).Topic);
    }

    [Theory]
    [InlineData("make @Bob manager", "Bob", Role.Manager)]
    [InlineData("make Bob a manager", "Bob", Role.Manager)]
    [InlineData("make @Anna Snelling admin", "Anna Snelling", Role.Admin)]
    [InlineData("make bob rep", "bob", Role.Rep)]
    public void Make_role(string text, string name, Role role)
    {
        var make = Assert.IsType<MakeRoleCommand>(Parse(text));
        Assert.Equal((name, role), (make.PersonName, make.Role));
    }

    [Theory]
    [InlineData("timezone Europe/Stockholm", "Europe/Stockholm")]
    [InlineData("timezone europe/oslo", "Europe/Oslo")]
    [InlineData("time zone America/New_York", "America/New_York")]
    [InlineData("set timezone UTC", "UTC")]
    public void Time_zone(string text, string zone)
    {
        Assert.Equal(zone, Assert.IsType<SetTimeZoneCommand>(Parse(text)).TimeZoneId);
    }

    [Theory]
    [InlineData("currency SEK", "SEK")]
    [InlineData("currency eur", "EUR")]
    [InlineData("set currency USD", "USD")]
    public void Currency(string text, string code)
    {
        Assert.Equal(code, Assert.IsType<SetCurrencyCommand>(Parse(text)).Currency);
    }

    [Theory]
    [InlineData("set stage proposal 50%", "proposal", 0.5)]
    [InlineData("set stage negotiation to 80 %", "negotiation", 0.8)]
    [InlineData("set stage quote 45", "proposal", 0.45)]
    public void Stage_probability(string text, string stage, double probability)
    {
        var set = Assert.IsType<SetStageProbabilityCommand>(Parse(text));
        Assert.Equal(stage, set.StageKey);
        Assert.Equal(probability, set.Probability, 6);
    }

    [Fact]
    public void Link_imported_person_to_chat_user()
    {
        var link = Assert.IsType<LinkPersonCommand>(Parse("link Anna Snelling to @anna"));
        Assert.Equal(("Anna Snelling", "anna"), (link.ImportedName, link.ChatUser));
    }

    [Theory]
    [InlineData("make @Bob boss", "boss", 3)]
    [InlineData("timezone Mars/Olympus", "Mars/Olympus", 2)]
    [InlineData("currency XYZ", "XYZ", 2)]
    [InlineData("set stage proposal 150%", "150%", 4)]
    [InlineData("set stage banana 50%", "banana", 3)]
    [InlineData("undo everything", "everything", 2)]
    [InlineData("link Anna", "", 3)]
    public void Admin_errors(string text, string word, int position)
    {
        var error = Error(text);
        Assert.Equal((word, position), (error.Word, error.Position));
    }

    [Theory]
    [InlineData("hepl", "help")]
    [InlineData("undoo", "undo")]
    [InlineData("stagse", "stages")]
    [InlineData("lnk Anna to @anna", "link Anna Snelling to @anna")]
    [InlineData("xyzzy", "help")]
    public void Unknown_first_word_suggests_the_closest_command(string text, string suggestion)
    {
        var error = Error(text);
        Assert.Equal(1, error.Position);
        Assert.Equal(suggestion, error.Suggestion);
        Assert.Contains("not a command", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_throws_with_the_word_and_position()
    {
        var exception = Assert.Throws<CommandParseException>(() => Parse("booked 5 hled 3"));
        Assert.Equal(("hled", 3), (exception.Error.Word, exception.Error.Position));
        Assert.Contains("\"hled\" (word 3)", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Did you mean \"held\"?", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_message_is_an_error_not_a_crash()
    {
        Assert.Equal("help", Error("   ").Suggestion);
    }

    [Fact]
    public void A_team_with_other_synonyms_is_parsed_with_its_own_words()
    {
        var metrics = Defaults.Metrics.Select(m => m.Key == MetricKeys.Booked ? m with { Synonyms = ["demos"] } : m).ToList();
        var context = ParseContext.Default(Friday) with { Metrics = metrics };
        var log = Assert.IsType<LogCommand>(CommandParser.Parse("demos 4", context));
        Assert.Equal("booked", log.Values.Single().MetricKey);
        Assert.False(CommandParser.TryParse("scheduled 4", context, out _, out _));
    }

    [Theory]
    [InlineData("held", "held", 0)]
    [InlineData("hled", "held", 1)]
    [InlineData("bokked", "booked", 1)]
    [InlineData("anna", "anan", 1)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("", "abc", 3)]
    public void Edit_distance_counts_transpositions_as_one(string a, string b, int distance)
    {
        Assert.Equal(distance, TextTools.EditDistance(a, b));
    }

    [Theory]
    [InlineData("Åsa Öberg", "asa oberg")]
    [InlineData("  Björn   EK ", "bjorn ek")]
    [InlineData("Søren Ærø", "soren aro")]
    [InlineData("José", "jose")]
    public void Folding_removes_case_and_accents(string text, string folded)
    {
        Assert.Equal(folded, TextTools.Fold(text));
    }

    [Theory]
    [InlineData("pipeline prospecting 12 qualified 5 proposal 3", "2026-12-04 prospecting=12 qualified=5 proposal=3")]
    [InlineData("pipeline 12 prospecting, 5 qualified", "2026-12-04 prospecting=12 qualified=5")]
    [InlineData("pipeline 12 in prospecting and 4 in negotiation", "2026-12-04 prospecting=12 negotiation=4")]
    [InlineData("log pipeline leads 7 yesterday", "2026-12-03 prospecting=7")]
    [InlineData("Pipeline Proposal 0", "2026-12-04 proposal=0")]
    [InlineData("pipeline 850 negotiation", "2026-12-04 negotiation=850")]
    public void A_pipeline_with_counts_is_a_snapshot(string text, string expected)
    {
        var snapshot = Assert.IsType<PipelineSnapshotCommand>(Parse(text));
        Assert.Equal(expected, $"{snapshot.Date:yyyy-MM-dd} " + string.Join(' ', snapshot.Counts.Select(c => $"{c.StageKey}={c.Open}")));
    }

    [Theory]
    [InlineData("pipeline prospecting 12 closing 3", "closing", "The stages are prospecting, qualified, proposal, negotiation.")]
    [InlineData("pipeline prospecting 12 prospecting 3", "prospecting", "appears twice")]
    [InlineData("pipeline 12 prospecting -3 qualified", "-3", "can't be negative")]
    [InlineData("pipeline 20000 prospecting", "20000", "at most 10000 per stage")]
    [InlineData("pipeline prospecting 12 2026-12-05", "2026-12-05", "in the future")]
    public void A_bad_snapshot_names_the_word_and_what_would_work(string text, string word, string message)
    {
        var error = Error(text);
        Assert.Equal(word, error.Word);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pipeline_without_counts_is_still_the_question()
    {
        Assert.Equal(QuestionKind.Pipeline, Assert.IsType<QuestionCommand>(Parse("pipeline")).Kind);
        Assert.Equal(QuestionKind.Pipeline, Assert.IsType<QuestionCommand>(Parse("pipeline last 12 weeks")).Kind);
    }
}
