using KpiBot.Conversation;
using KpiBot.Domain;
using KpiBot.Replies;

namespace KpiBot.Tests.Conversation;

/// <summary>Questions answered with the KPI engine over the demo team: cards, roles, names and channel privacy.</summary>
[Collection("Conversation store")]
public sealed class QuestionTests : IAsyncLifetime
{
    private BotFixture _bot = null!;

    public async Task InitializeAsync()
    {
        _bot = await new BotFixture().WithTeam();
        await _bot.Say("U_ADA", "Ada Admin", "demo");
        await _bot.Say("U_ADA", "Ada Admin", "make Bob manager");
    }

    public Task DisposeAsync()
    {
        _bot.Dispose();
        return Task.CompletedTask;
    }

    private static Heading FirstHeading(BotResponse response) => response.Replies.Single().Blocks.OfType<Heading>().First();

    [Theory]
    [InlineData("how is David trending", "Danger")]
    [InlineData("how's david doing?", "Danger")]
    [InlineData("David trend", "Danger")]
    [InlineData("how is Elin Aberg trending", "Crisis")]
    [InlineData("elin trend", "Crisis")]
    [InlineData("how is Anna Svenson trending", "Normal")] // one typo
    public async Task A_manager_sees_a_persons_trend_with_its_state(string text, string state)
    {
        var response = await _bot.Say("U_BOB", "Bob Berg", text);
        var heading = FirstHeading(response);
        Assert.Equal(state, heading.Badge?.Text);
        Assert.Contains(response.Replies.Single().Blocks, b => b is Chart);
        Assert.Equal(ReplyVisibility.Private, response.Replies.Single().Visibility);
    }

    [Fact]
    public async Task The_danger_trend_carries_coaching_with_numbers()
    {
        var response = await _bot.Say("U_BOB", "Bob Berg", "how is David trending");
        var coaching = response.Replies.Single().Blocks.OfType<CoachingList>().Single();
        Assert.NotEmpty(coaching.Items);
        Assert.Contains(coaching.Items, i => i.Evidence.Any(char.IsDigit));
    }

    [Fact]
    public async Task A_rep_asking_about_someone_else_gets_a_polite_refusal()
    {
        var response = await _bot.Say("U_CEC", "Cecilia Öst", "how is David trending");
        var text = ReplyText.All(response);
        Assert.Contains("You can see your own numbers and the team's totals, not David Nilsson's", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Danger", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rep_sees_their_own_trend_and_only_team_totals()
    {
        await _bot.Say("U_CEC", "Cecilia Öst", "booked 3");
        var own = await _bot.Say("U_CEC", "Cecilia Öst", "how am I trending");
        Assert.Contains("Cecilia Öst", FirstHeading(own).Text, StringComparison.Ordinal);

        var team = await _bot.Say("U_CEC", "Cecilia Öst", "team status");
        var text = ReplyText.All(team);
        Assert.DoesNotContain("David Nilsson", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Anna Svensson", text, StringComparison.Ordinal);
        Assert.Contains("Deals won", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Team_status_for_a_manager_lists_attention_first()
    {
        var response = await _bot.Say("U_BOB", "Bob Berg", "team status");
        var table = response.Replies.Single().Blocks.OfType<Table>().Single();
        Assert.Equal("David Nilsson", table.Rows[0].Cells[0]);
        Assert.Equal("Danger", table.Rows[0].Cells[1]);
        Assert.Equal(Tone.Attention, table.Rows[0].Tone);
    }

    [Fact]
    public async Task In_a_channel_nobody_in_crisis_or_danger_is_named()
    {
        var team = await _bot.Say("U_BOB", "Bob Berg", "team status", kind: ConversationKind.Channel);
        var text = ReplyText.All(team);
        Assert.DoesNotContain("David Nilsson", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Elin Åberg", text, StringComparison.Ordinal);
        Assert.Contains("need support", text, StringComparison.Ordinal);

        var person = await _bot.Say("U_BOB", "Bob Berg", "how is David trending", kind: ConversationKind.Channel);
        Assert.Equal(ReplyVisibility.Private, person.Replies.Single().Visibility);

        var coaching = await _bot.Say("U_BOB", "Bob Berg", "who needs coaching", kind: ConversationKind.Channel);
        Assert.Equal(ReplyVisibility.Private, coaching.Replies.Single().Visibility);
    }

    [Fact]
    public async Task Who_needs_coaching_is_for_managers_and_names_danger_first()
    {
        var rep = await _bot.Say("U_CEC", "Cecilia Öst", "who needs coaching");
        Assert.Contains("Only a manager or an admin can see who needs coaching", ReplyText.All(rep), StringComparison.Ordinal);

        var response = await _bot.Say("U_BOB", "Bob Berg", "who needs coaching");
        var headings = response.Replies.Single().Blocks.OfType<Heading>().Skip(1).ToList();
        Assert.Equal("David Nilsson", headings[0].Text);
        Assert.Equal("Danger", headings[0].Badge?.Text);
        Assert.Contains(headings, h => h.Text == "Elin Åberg" && h.Badge?.Text == "Crisis");
        Assert.DoesNotContain(headings, h => h.Text == "Anna Svensson");
    }

    [Fact]
    public async Task Funnel_for_fredrik_shows_the_held_to_qualified_bottleneck()
    {
        var response = await _bot.Say("U_BOB", "Bob Berg", "funnel for Fredrik last 12 weeks");
        var funnel = response.Replies.Single().Blocks.OfType<Funnel>().Single();
        var bottleneck = Assert.Single(funnel.Steps, s => s.IsBottleneck);
        Assert.Equal("Qualified leads", bottleneck.Label);
        Assert.Contains("Period: last 12 weeks", ReplyText.All(response), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("team funnel last 12 weeks")]
    [InlineData("forecast accuracy")]
    [InlineData("team pipeline")]
    [InlineData("my stats")]
    [InlineData("my funnel")]
    [InlineData("my pipeline")]
    [InlineData("stats for Anna")]
    [InlineData("forecast accuracy Q3 2026")]
    [InlineData("team status as of 2026-10-31")]
    public async Task Every_question_answers_with_a_card(string text)
    {
        var response = await _bot.Say("U_BOB", "Bob Berg", text);
        var reply = response.Replies.Single();
        Assert.NotEmpty(reply.Blocks.OfType<Heading>());
        Assert.DoesNotContain("went wrong", reply.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain("couldn't take", reply.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forecast_accuracy_shows_periods_with_forecast_and_actual()
    {
        var response = await _bot.Say("U_BOB", "Bob Berg", "forecast accuracy");
        var text = ReplyText.All(response);
        Assert.Contains("SEK", text, StringComparison.Ordinal);
        Assert.Contains(response.Replies.Single().Blocks, b => b is Table or FactList);
    }

    [Fact]
    public async Task An_ambiguous_name_in_a_question_gets_buttons_that_run_it_with_the_full_name()
    {
        await _bot.Say("U_AL", "Anna Lind", "hi");
        var response = await _bot.Say("U_BOB", "Bob Berg", "how is anna trending");
        Assert.Contains("More than one person matches \"anna\"", ReplyText.All(response), StringComparison.Ordinal);
        Assert.Equal(["how is Anna Lind trending", "how is Anna Svensson trending"], ReplyText.Buttons(response).Select(b => b.Command));

        var chosen = await _bot.Say("U_BOB", "Bob Berg", "how is Anna Svensson trending");
        Assert.Equal("Normal", FirstHeading(chosen).Badge?.Text);
    }

    [Fact]
    public async Task An_unknown_name_gets_did_you_mean()
    {
        var response = await _bot.Say("U_BOB", "Bob Berg", "how is Davod Nilson trending");
        Assert.Contains("Did you mean David Nilsson?", ReplyText.All(response), StringComparison.Ordinal);
        Assert.Contains(ReplyText.Buttons(response), b => b.Command == "how is David Nilsson trending");
    }

    [Fact]
    public async Task A_period_in_the_future_is_refused()
    {
        var response = await _bot.Say("U_BOB", "Bob Berg", "team funnel in 2030");
        Assert.Contains("\"2030\"", ReplyText.All(response), StringComparison.Ordinal);
    }
}
