using KpiBot.Conversation;
using KpiBot.Conversation.Routing;
using KpiBot.Domain;
using KpiBot.Replies;
using Microsoft.Extensions.DependencyInjection;

namespace KpiBot.Tests.Conversation;

/// <summary>The bot end to end over a real LiteDB store: identity, roles, logging, undo, deals, forms.</summary>
[Collection("Conversation store")]
public sealed class BotTests
{
    [Fact]
    public async Task First_person_is_admin_and_gets_a_welcome_showing_how_to_log()
    {
        using var bot = new BotFixture();
        var response = await bot.Say("U_ADA", "Ada Admin", "hello");
        Assert.Single(response.Replies);
        var text = ReplyText.All(response);
        Assert.Contains("Welcome to KpiBot, Ada", text, StringComparison.Ordinal);
        Assert.Contains("booked 5 held 3", text, StringComparison.Ordinal);
        Assert.Contains("admin", text, StringComparison.Ordinal);
        Assert.Equal(Role.Admin, bot.Person("U_ADA").Role);

        await bot.Say("U_BOB", "Bob Berg", "hi");
        Assert.Equal(Role.Rep, bot.Person("U_BOB").Role);
    }

    [Fact]
    public async Task A_first_message_that_is_a_command_gets_the_welcome_and_runs()
    {
        using var bot = new BotFixture();
        var response = await bot.Say("U_ADA", "Ada Admin", "booked 5 held 3");
        Assert.Equal(2, response.Replies.Count);
        Assert.Contains("Welcome", response.Replies[0].Summary, StringComparison.Ordinal);
        Assert.Contains("Logged for Fri 4 Dec", ReplyText.All(response.Replies[1]), StringComparison.Ordinal);
        Assert.Equal(8m, bot.Entries("U_ADA").Sum(e => e.Value));
    }

    [Fact]
    public async Task Logging_stores_once_even_when_the_platform_delivers_the_same_message_twice()
    {
        using var bot = await new BotFixture().WithTeam();
        var first = await bot.Say("U_BOB", "Bob Berg", "log booked 5 held 3 qualified 2", sourceId: "evt-1");
        var retry = await bot.Say("U_BOB", "Bob Berg", "log booked 5 held 3 qualified 2", sourceId: "evt-1");

        var entries = bot.Entries("U_BOB");
        Assert.Equal(3, entries.Count);
        Assert.Equal(5m, entries.Single(e => e.Metric == MetricKeys.Booked).Value);
        Assert.All(entries, e => Assert.Equal(new DateOnly(2026, 12, 4), e.Date));
        Assert.Contains("Meetings booked: 5", ReplyText.All(first), StringComparison.Ordinal);
        Assert.Contains("nothing was counted twice", ReplyText.All(retry), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Log_confirmation_shows_the_week_so_far_actions_and_the_logging_form()
    {
        using var bot = await new BotFixture().WithTeam();
        await bot.Say("U_BOB", "Bob Berg", "mon booked 3");
        var response = await bot.Say("U_BOB", "Bob Berg", "booked 5, held 3");

        var reply = response.Replies.Single();
        var week = reply.Blocks.OfType<Table>().Single();
        var booked = week.Rows.Single(r => r.Cells[0] == "Meetings booked");
        Assert.Equal("3", booked.Cells[1]); // Monday
        Assert.Equal("5", booked.Cells[5]); // Friday
        Assert.Equal("8", booked.Cells[^1]); // week total
        var form = reply.Blocks.OfType<Form>().Single();
        Assert.Equal("log", form.FormId);
        Assert.Equal(["booked", "held", "qualified", "proposals"], form.Fields.Where(f => f.Kind == FormFieldKind.Number).Select(f => f.Id));
        Assert.Contains(ReplyText.Buttons(response), b => b.Command == "undo");
    }

    [Theory]
    [InlineData("booked 5 hled 3", "hled", "booked 5 held 3")]
    [InlineData("booked -2", "-2", null)]
    [InlineData("booked 5 2026-12-05", "2026-12-05", "booked 5 today")]
    [InlineData("booked 999", "999", null)]
    [InlineData("bookd 5", "bookd", "booked 5")]
    public async Task Bad_input_stores_nothing_and_names_the_word(string text, string word, string? fix)
    {
        using var bot = await new BotFixture().WithTeam();
        var response = await bot.Say("U_BOB", "Bob Berg", text);
        Assert.Empty(bot.Entries("U_BOB"));
        var all = ReplyText.All(response);
        Assert.Contains($"\"{word}\"", all, StringComparison.Ordinal);
        Assert.Contains("Nothing was stored", all, StringComparison.Ordinal);
        if (fix is not null)
        {
            Assert.Contains(ReplyText.Buttons(response), b => b.Command == fix);
        }
    }

    [Fact]
    public async Task A_known_user_saying_hi_gets_a_short_hint_not_an_error()
    {
        using var bot = await new BotFixture().WithTeam();
        var response = await bot.Say("U_BOB", "Bob Berg", "Hi!");
        Assert.StartsWith("Hi Bob!", response.Replies.Single().Summary, StringComparison.Ordinal);
        Assert.DoesNotContain("Welcome", ReplyText.All(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_command_suggests_the_closest_one()
    {
        using var bot = await new BotFixture().WithTeam();
        var response = await bot.Say("U_BOB", "Bob Berg", "hepl");
        Assert.Contains("\"hepl\" (word 1)", ReplyText.All(response), StringComparison.Ordinal);
        Assert.Contains(ReplyText.Buttons(response), b => b.Command == "help");
    }

    [Fact]
    public async Task Undo_reverts_the_authors_last_change_and_says_what()
    {
        using var bot = await new BotFixture().WithTeam();
        await bot.Say("U_BOB", "Bob Berg", "booked 2");
        await bot.Say("U_BOB", "Bob Berg", "held 1 yesterday");
        await bot.Say("U_CEC", "Cecilia Öst", "booked 7");

        var undo = await bot.Say("U_BOB", "Bob Berg", "undo");
        Assert.Contains("Undone: held 1 on 2026-12-03", ReplyText.All(undo), StringComparison.Ordinal);
        Assert.Equal([("booked", 2m)], bot.Entries("U_BOB").Select(e => (e.Metric, e.Value)));
        Assert.Single(bot.Entries("U_CEC")); // someone else's change is untouched

        await bot.Say("U_BOB", "Bob Berg", "undo");
        Assert.Empty(bot.Entries("U_BOB"));
        var nothing = await bot.Say("U_BOB", "Bob Berg", "undo");
        Assert.Contains("nothing of yours to undo", ReplyText.All(nothing), StringComparison.Ordinal);
        Assert.Single(bot.Entries("U_CEC"));
    }

    [Fact]
    public async Task My_week_shows_entries_per_day()
    {
        using var bot = await new BotFixture().WithTeam();
        await bot.Say("U_BOB", "Bob Berg", "tue booked 4");
        await bot.Say("U_BOB", "Bob Berg", "wed held 2");
        await bot.Say("U_BOB", "Bob Berg", "last friday booked 9"); // previous week: not in this week
        var response = await bot.Say("U_BOB", "Bob Berg", "my week");
        var table = response.Replies.Single().Blocks.OfType<Table>().Single();
        Assert.Equal(["Week of Mon 30 Nov", "Mon", "Tue", "Wed", "Thu", "Fri", "Total"], table.Columns);
        Assert.Equal("4", table.Rows.Single(r => r.Cells[0] == "Meetings booked").Cells[^1]);
        Assert.Equal("2", table.Rows.Single(r => r.Cells[0] == "Meetings held").Cells[3]);
    }

    [Fact]
    public async Task Away_is_stored_on_the_person_and_can_be_undone()
    {
        using var bot = await new BotFixture().WithTeam();
        var response = await bot.Say("U_BOB", "Bob Berg", "away until 2026-12-20");
        Assert.Contains("away from Fri 4 Dec to Sun 20 Dec", ReplyText.All(response), StringComparison.Ordinal);
        Assert.Equal([new AwayPeriod(new(2026, 12, 4), new(2026, 12, 20))], bot.Person("U_BOB").Away);
        await bot.Say("U_BOB", "Bob Berg", "undo");
        Assert.Empty(bot.Person("U_BOB").Away);
    }

    [Fact]
    public async Task Logging_form_is_validated_field_by_field()
    {
        using var bot = await new BotFixture().WithTeam();
        var bad = await bot.Say("U_BOB", "Bob Berg", "", form: new FormSubmission("log", new Dictionary<string, string> { ["booked"] = "4", ["held"] = "two" }));
        Assert.Contains("\"Meetings held\" (\"two\")", ReplyText.All(bad), StringComparison.Ordinal);
        Assert.Empty(bot.Entries("U_BOB"));

        var future = await bot.Say("U_BOB", "Bob Berg", "", form: new FormSubmission("log", new Dictionary<string, string> { ["booked"] = "4", ["date"] = "2026-12-07" }));
        Assert.Contains("future", ReplyText.All(future), StringComparison.Ordinal);
        Assert.Empty(bot.Entries("U_BOB"));

        var good = await bot.Say("U_BOB", "Bob Berg", "", form: new FormSubmission("log", new Dictionary<string, string> { ["booked"] = "4", ["held"] = "", ["qualified"] = "1", ["date"] = "2026-12-02" }));
        Assert.Contains("Logged for Wed 2 Dec", ReplyText.All(good), StringComparison.Ordinal);
        Assert.Equal([("booked", 4m), ("qualified", 1m)], bot.Entries("U_BOB").OrderBy(e => e.Metric).Select(e => (e.Metric, e.Value)));
    }

    [Fact]
    public async Task Won_closes_the_open_deal_keeping_its_history_and_counts_once()
    {
        using var bot = await new BotFixture().WithTeam();
        await bot.Say("U_BOB", "Bob Berg", "deal Acme 250k stage proposal close 2027-01-31");
        bot.Clock.Advance(TimeSpan.FromDays(5));
        await bot.Say("U_BOB", "Bob Berg", "move acme to negotiation");
        bot.Clock.Advance(TimeSpan.FromDays(5));
        var won = await bot.Say("U_BOB", "Bob Berg", "won Acme 240 000 kr");

        var deals = bot.Store.GetDeals(BotFixture.Ws, [bot.Person("U_BOB").Id]);
        var deal = Assert.Single(deals);
        Assert.Equal(DealOutcome.Won, deal.Outcome);
        Assert.Equal(240_000m, deal.Value);
        Assert.Equal(new DateOnly(2026, 12, 4), deal.StartDate);
        Assert.Equal(new DateOnly(2026, 12, 14), deal.CloseDate);
        Assert.Equal(["proposal", "negotiation"], deal.History.Select(h => h.Stage));
        Assert.Contains("Congratulations! Acme is won: 240 000 SEK", ReplyText.All(won), StringComparison.Ordinal);
        Assert.Empty(bot.Entries("U_BOB")); // deals won are never also logged as entries
    }

    [Fact]
    public async Task Won_without_an_open_deal_creates_a_won_deal_and_without_value_asks_for_it()
    {
        using var bot = await new BotFixture().WithTeam();
        var missing = await bot.Say("U_BOB", "Bob Berg", "won Acme");
        Assert.Contains("won Acme 120k", ReplyText.All(missing), StringComparison.Ordinal);
        Assert.Empty(bot.Store.GetDeals(BotFixture.Ws, null));

        await bot.Say("U_BOB", "Bob Berg", "won Acme 120k");
        var deal = Assert.Single(bot.Store.GetDeals(BotFixture.Ws, null));
        Assert.Equal((DealOutcome.Won, 120_000m, new DateOnly(2026, 12, 4), new DateOnly(2026, 12, 4)), (deal.Outcome, deal.Value, deal.StartDate, deal.CloseDate!.Value));
    }

    [Fact]
    public async Task Moving_an_unknown_deal_suggests_the_closest_open_deal()
    {
        using var bot = await new BotFixture().WithTeam();
        await bot.Say("U_BOB", "Bob Berg", "deal Acme 100k");
        var response = await bot.Say("U_BOB", "Bob Berg", "move Acne to proposal");
        Assert.Contains("Did you mean Acme?", ReplyText.All(response), StringComparison.Ordinal);
        Assert.Contains(ReplyText.Buttons(response), b => b.Command == "move Acme to proposal");
        Assert.Equal("prospecting", bot.Store.GetDeals(BotFixture.Ws, null).Single().Stage);
    }

    [Fact]
    public async Task Lost_closes_the_deal_and_undo_reopens_it()
    {
        using var bot = await new BotFixture().WithTeam();
        await bot.Say("U_BOB", "Bob Berg", "deal Acme 100k");
        await bot.Say("U_BOB", "Bob Berg", "lost acme");
        Assert.Equal(DealOutcome.Lost, bot.Store.GetDeals(BotFixture.Ws, null).Single().Outcome);
        await bot.Say("U_BOB", "Bob Berg", "undo");
        Assert.Equal(DealOutcome.Open, bot.Store.GetDeals(BotFixture.Ws, null).Single().Outcome);
    }

    [Fact]
    public async Task Reps_cannot_change_settings_or_roles()
    {
        using var bot = await new BotFixture().WithTeam();
        var response = await bot.Say("U_BOB", "Bob Berg", "make @Bob admin");
        Assert.Contains("Only an admin can", ReplyText.All(response), StringComparison.Ordinal);
        Assert.Equal(Role.Rep, bot.Person("U_BOB").Role);

        var currency = await bot.Say("U_BOB", "Bob Berg", "currency EUR");
        Assert.Contains("Only an admin", ReplyText.All(currency), StringComparison.Ordinal);
        Assert.Equal("SEK", bot.Store.ListTeams(BotFixture.Ws).Single().Settings.Currency);
    }

    [Fact]
    public async Task Admin_changes_roles_settings_and_stage_probabilities()
    {
        using var bot = await new BotFixture().WithTeam();
        await bot.Say("U_ADA", "Ada Admin", "make @Bob manager");
        await bot.Say("U_ADA", "Ada Admin", "timezone Europe/Helsinki");
        await bot.Say("U_ADA", "Ada Admin", "currency EUR");
        await bot.Say("U_ADA", "Ada Admin", "set stage proposal 40%");

        Assert.Equal(Role.Manager, bot.Person("U_BOB").Role);
        var team = bot.Store.ListTeams(BotFixture.Ws).Single();
        Assert.Equal(("Europe/Helsinki", "EUR"), (team.Settings.TimeZoneId, team.Settings.Currency));
        Assert.Equal(0.40, team.Stages.Single(s => s.Key == "proposal").Probability, 6);

        var last = await bot.Say("U_ADA", "Ada Admin", "make ada rep");
        Assert.Contains("only admin", ReplyText.All(last), StringComparison.Ordinal);
        Assert.Equal(Role.Admin, bot.Person("U_ADA").Role);
    }

    [Fact]
    public async Task An_ambiguous_name_gets_a_choice_never_a_guess()
    {
        using var bot = await new BotFixture().WithTeam();
        await bot.Say("U_AS", "Anna Svensson", "hi");
        await bot.Say("U_AL", "Anna Lind", "hi");
        var response = await bot.Say("U_ADA", "Ada Admin", "make anna manager");
        Assert.Contains("More than one person matches \"anna\"", ReplyText.All(response), StringComparison.Ordinal);
        Assert.Equal(["make Anna Lind manager", "make Anna Svensson manager"], ReplyText.Buttons(response).Select(b => b.Command));
        Assert.Equal(Role.Rep, bot.Person("U_AS").Role);
        Assert.Equal(Role.Rep, bot.Person("U_AL").Role);

        await bot.Say("U_ADA", "Ada Admin", "make Anna Lind manager");
        Assert.Equal(Role.Manager, bot.Person("U_AL").Role);
    }

    [Theory]
    [InlineData("make cecilia ost manager")] // accents ignored
    [InlineData("make CECILIA manager")] // first name, case ignored
    [InlineData("make Cecila manager")] // one typo
    [InlineData("make @Cecilia Öst manager")]
    public async Task Names_match_loosely(string text)
    {
        using var bot = await new BotFixture().WithTeam();
        await bot.Say("U_ADA", "Ada Admin", text);
        Assert.Equal(Role.Manager, bot.Person("U_CEC").Role);
    }

    [Fact]
    public async Task An_unknown_name_gets_did_you_mean()
    {
        using var bot = await new BotFixture().WithTeam();
        var response = await bot.Say("U_ADA", "Ada Admin", "make Bobby Berg manager");
        Assert.Contains("Did you mean Bob Berg?", ReplyText.All(response), StringComparison.Ordinal);
        Assert.Equal(Role.Rep, bot.Person("U_BOB").Role);
    }

    [Fact]
    public async Task First_contact_links_an_imported_person_with_the_same_name()
    {
        using var bot = new BotFixture();
        await bot.Say("U_ADA", "Ada Admin", "hi");
        var imported = new Person("crm-anna", BotFixture.Ws, TeamIds.Default, "Anna Snelling", Role.Rep, null, null, [], null, BotFixture.Start);
        bot.Store.Apply(new ChangeSet(BotFixture.Ws, "import", "import-1", "import", BotFixture.Start, [], [], [imported], []));

        await bot.Say("U_ANNA", "anna snelling", "booked 1");
        var anna = bot.Person("U_ANNA");
        Assert.Equal("crm-anna", anna.Id);
        Assert.Equal(2, bot.Store.ListPeople(BotFixture.Ws).Count);
    }

    [Fact]
    public async Task Link_command_attaches_an_imported_person_to_a_chat_user()
    {
        using var bot = await new BotFixture().WithTeam();
        var imported = new Person("crm-dan", BotFixture.Ws, TeamIds.Default, "Daniel Jones", Role.Rep, null, null, [], null, BotFixture.Start);
        bot.Store.Apply(new ChangeSet(BotFixture.Ws, "import", "import-1", "import", BotFixture.Start, [], [], [imported], []));

        var response = await bot.Say("U_ADA", "Ada Admin", "link Daniel Jones to <@U_DAN>");
        Assert.Contains("linked", ReplyText.All(response), StringComparison.Ordinal);
        await bot.Say("U_DAN", "Dan J", "booked 2");
        Assert.Equal("crm-dan", bot.Person("U_DAN").Id);
    }

    [Fact]
    public async Task The_persons_time_zone_follows_the_platform_and_sets_their_today()
    {
        using var bot = await new BotFixture().WithTeam();
        bot.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 4, 23, 30, 0, TimeSpan.Zero)); // already Saturday in Stockholm
        await bot.Say("U_BOB", "Bob Berg", "booked 1", timeZone: "America/New_York");
        Assert.Equal("America/New_York", bot.Person("U_BOB").TimeZoneId);
        Assert.Equal(new DateOnly(2026, 12, 4), bot.Entries("U_BOB").Single().Date);

        await bot.Say("U_CEC", "Cecilia Öst", "booked 1"); // team zone Europe/Stockholm: Saturday
        Assert.Equal(new DateOnly(2026, 12, 5), bot.Entries("U_CEC").Single().Date);
    }

    [Fact]
    public async Task Nothing_crosses_workspaces()
    {
        using var bot = await new BotFixture().WithTeam();
        await bot.Say("U_BOB", "Bob Berg", "booked 5");
        var other = await bot.Say("U_X", "Xavier", "make bob manager", ws: "local:other");
        // Xavier is the first (admin) of the other workspace, and Bob is not known there.
        Assert.Contains("don't know anyone called \"bob\"", ReplyText.All(other), StringComparison.Ordinal);
        Assert.Single(bot.Store.ListPeople("local:other"));
        Assert.Equal(Role.Rep, bot.Person("U_BOB").Role);
    }

    [Fact]
    public async Task Help_lists_topics_and_explains_one_with_examples()
    {
        using var bot = await new BotFixture().WithTeam();
        var help = await bot.Say("U_BOB", "Bob Berg", "help");
        var text = ReplyText.All(help);
        Assert.Contains("logging", text, StringComparison.Ordinal);
        var admin = await bot.Say("U_BOB", "Bob Berg", "help admin");
        Assert.Contains("metrics", ReplyText.All(admin), StringComparison.Ordinal); // open to everyone
        Assert.DoesNotContain("make @Bob manager", ReplyText.All(admin), StringComparison.Ordinal); // admin-only, hidden from a rep

        var logging = await bot.Say("U_BOB", "Bob Berg", "help logging");
        Assert.Contains("booked 5 held 3 qualified 2", ReplyText.All(logging), StringComparison.Ordinal);
        Assert.Contains("undo", ReplyText.All(logging), StringComparison.Ordinal);

        var unknown = await bot.Say("U_BOB", "Bob Berg", "help lgging");
        Assert.Contains(ReplyText.Buttons(unknown), b => b.Command == "help logging");
    }

    [Fact]
    public async Task Empty_workspace_or_user_is_refused_without_storing()
    {
        using var bot = new BotFixture();
        var response = await bot.Bot.HandleAsync(BotFixture.Message("", "Nobody", "booked 5", "m1"), CancellationToken.None);
        Assert.Contains("Nothing was stored", ReplyText.All(response), StringComparison.Ordinal);
        Assert.Null(bot.Store.FindWorkspace(BotFixture.Ws));
    }

    [Fact]
    public void The_routing_table_refuses_a_duplicate_name()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new CommandTable([new DuplicateUndo(), new DuplicateUndo()]));
        Assert.Contains("\"undo\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_duplicate_command_name_fails_at_start_up()
    {
        var error = Record.Exception(() => new BotFixture(services => services.AddChatCommand<DuplicateUndo>()).Dispose());
        Assert.NotNull(error);
        Assert.Contains("Two chat commands are registered as \"undo\"", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_area_can_register_its_own_command()
    {
        using var bot = new BotFixture(services => services.AddChatCommand<EchoNudges>());
        await bot.Say("U_ADA", "Ada Admin", "hi");
        var response = await bot.Say("U_ADA", "Ada Admin", "nudges off");
        Assert.Equal("nudges: off", response.Replies.Single().Summary);
        var help = await bot.Say("U_ADA", "Ada Admin", "help nudges");
        Assert.Contains("nudges off", ReplyText.All(help), StringComparison.Ordinal);
    }

    private sealed class DuplicateUndo : IChatCommand
    {
        public string Name => "undo";

        public CommandDescription Describe() => new("logging", "Another undo.", ["undo"]);

        public CommandMatch? TryMatch(string text, MatchContext context) => null;

        public Task<BotResponse> HandleAsync(CommandMatch match, CommandContext context, CancellationToken cancellationToken) =>
            Task.FromResult(BotResponse.Of(Reply.Text("never")));
    }

    private sealed class EchoNudges : IChatCommand
    {
        public string Name => "nudges";

        public CommandDescription Describe() => new("nudges", "Turn nudges on or off.", ["nudges off"], Role.Admin);

        public CommandMatch? TryMatch(string text, MatchContext context) =>
            text.StartsWith("nudges ", StringComparison.OrdinalIgnoreCase) ? new CommandMatch(text[7..]) : null;

        public Task<BotResponse> HandleAsync(CommandMatch match, CommandContext context, CancellationToken cancellationToken) =>
            Task.FromResult(BotResponse.Of(Reply.Text($"nudges: {match.Arguments}")));
    }

    [Fact]
    public async Task A_pipeline_snapshot_is_stored_once_shown_on_the_pipeline_card_and_undone_whole()
    {
        using var bot = await new BotFixture().WithTeam();
        var first = await bot.Say("U_BOB", "Bob Berg", "pipeline prospecting 12 qualified 5", sourceId: "snap-1");
        var retry = await bot.Say("U_BOB", "Bob Berg", "pipeline prospecting 12 qualified 5", sourceId: "snap-1");

        Assert.Contains("Pipeline on Fri 4 Dec", ReplyText.All(first), StringComparison.Ordinal);
        Assert.Contains("Prospecting: 12", ReplyText.All(first), StringComparison.Ordinal);
        Assert.Contains("nothing was counted twice", ReplyText.All(retry), StringComparison.Ordinal);
        Assert.Equal(["pipeline:prospecting", "pipeline:qualified"], bot.Entries("U_BOB").Select(e => e.Metric).Order());
        // A snapshot is no logged statistic: the week's meetings are untouched.
        var week = await bot.Say("U_BOB", "Bob Berg", "my week");
        Assert.DoesNotContain("12", ReplyText.All(week), StringComparison.Ordinal);

        // A week later the snapshot is the count at the end of its week on the pipeline card.
        bot.Clock.Advance(TimeSpan.FromDays(7));
        var card = await bot.Say("U_BOB", "Bob Berg", "my pipeline");
        var table = card.Replies.Single().Blocks.OfType<Table>().Single();
        var prospecting = table.Rows.Single(r => r.Cells[0] == "Prospecting");
        Assert.Equal("12", prospecting.Cells[^2]);
        Assert.Contains("logged pipeline snapshots", ReplyText.All(card), StringComparison.Ordinal);

        var undo = await bot.Say("U_BOB", "Bob Berg", "undo");
        Assert.Contains("Undone: pipeline prospecting 12, qualified 5 on 2026-12-04", ReplyText.All(undo), StringComparison.Ordinal);
        Assert.Empty(bot.Entries("U_BOB"));
    }
}
