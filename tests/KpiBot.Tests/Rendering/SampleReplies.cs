using KpiBot.Replies;

namespace KpiBot.Tests.Rendering;

/// <summary>
/// One reply of every shape the bot sends (status card, funnel, team table, forecast, logging form, help,
/// error) plus oversized ones, shared by the renderer tests and the browser card check.
/// </summary>
public static class SampleReplies
{
    /// <summary>A trend card: heading with a Crisis badge, facts, a line chart with a fitted line, coaching, buttons.</summary>
    public static Reply Trend { get; } = new(
        "Anna Berg: Crisis (−4.2 %/week)",
        [
            new Heading("Anna Berg — revenue won", new Badge("Crisis", Tone.Warning)),
            new FactList(
            [
                new Fact("Relative slope", "−4.2 %/week", Tone.Warning),
                new Fact("Weeks", "8 (W40–W47)"),
                new Fact("Significance", "p = 0.21 (Mann–Kendall)", Tone.Muted),
            ]),
            new Chart(
                "Revenue won per week",
                ChartKind.Line,
                ["W40", "W41", "W42", "W43", "W44", "W45", "W46", "W47"],
                [
                    new ChartSeries("Revenue won", [120_000, 95_000, 130_000, null, 88_000, 101_000, 79_000, 92_000]),
                    new ChartSeries("Trend", [118_000, 113_000, 108_500, 104_000, 99_000, 94_500, 90_000, 85_500], IsFit: true),
                ],
                XAxisTitle: "ISO week",
                YAxisTitle: "SEK"),
            new CoachingList("What to do", [new CoachingItem("Weekly one-to-one with an activity plan for the weakest phase", "Held → qualified is 31 % against the team's 48 %.", Tone.Warning)]),
            new Actions([new ReplyAction("Funnel for Anna", "funnel for Anna", Primary: true), new ReplyAction("Team status", "team status")]),
        ]);

    /// <summary>A funnel with a bottleneck and a flagged step.</summary>
    public static Reply Funnel { get; } = new(
        "Funnel for Anna, last 8 weeks: bottleneck held → qualified",
        [
            new Heading("Funnel — Anna Berg"),
            new Funnel(
                "Last 8 complete weeks",
                [
                    new FunnelStep("Meetings booked", 40, null, null, null, false, false),
                    new FunnelStep("Meetings held", 32, 0.8, 0.65, 0.895, false, false),
                    new FunnelStep("Qualified leads", 10, 0.3125, 0.18, 0.49, true, false),
                    new FunnelStep("Proposals sent", 12, 1.2, 0.9, 1.0, false, true),
                    new FunnelStep("Deals won", 4, 0.333, 0.14, 0.61, false, false),
                ],
                "Proposals exceed qualified leads: check the logged numbers."),
            new Chart("Funnel", ChartKind.HorizontalBar, ["Booked", "Held", "Qualified", "Proposal", "Won"], [new ChartSeries("Count", [40, 32, 10, 12, 4])]),
        ]);

    /// <summary>The team overview: a table with toned rows and a grouped bar chart.</summary>
    public static Reply Team { get; } = new(
        "Team North: 1 in Danger, 2 in Crisis, 3 Normal",
        [
            new Heading("Team North", new Badge("1 in Danger", Tone.Attention)),
            new Table(
                ["Person", "Revenue (8 wk)", "Slope", "State"],
                [
                    new TableRow(["Anna Berg", "705,000", "−4.2 %/wk", "Crisis"], Tone.Warning),
                    new TableRow(["Bo Ek", "1,210,000", "+3.1 %/wk", "Normal"], Tone.Good),
                    new TableRow(["Carl Dahl", "310,000", "−14.9 %/wk", "Danger"], Tone.Attention),
                    new TableRow(["Dana Fors", "—", "—", "Not yet a statistic"], Tone.Muted),
                ]),
            new Chart(
                "Open pipeline per stage",
                ChartKind.GroupedBar,
                ["W44", "W45", "W46", "W47"],
                [
                    new ChartSeries("Stage 0", [22, 20, 18, 15]),
                    new ChartSeries("Qualified", [9, 10, 10, 11]),
                    new ChartSeries("Proposal", [4, 5, 4, 6]),
                ],
                "Week",
                "Open leads"),
            new Paragraph("Stage 0 is shrinking (−12 %/week): protect prospecting time.", Tone.Attention),
        ],
        ReplyVisibility.Conversation);

    /// <summary>Forecast accuracy: a vertical bar chart and facts.</summary>
    public static Reply Forecast { get; } = new(
        "Forecast accuracy: 18 % deviation (watch)",
        [
            new Heading("Forecast accuracy", new Badge("Watch", Tone.Warning)),
            new Chart("Deviation per month", ChartKind.VerticalBar, ["Sep", "Oct", "Nov"], [new ChartSeries("Deviation %", [12, 27, 18])], "Month", "% deviation"),
            new FactList([new Fact("November forecast", "1,200,000"), new Fact("November actual", "984,000"), new Fact("Deviation", "18 %", Tone.Warning)]),
        ]);

    /// <summary>The logging form.</summary>
    public static Reply LogForm { get; } = new(
        "Log today's numbers",
        [
            new Heading("Log your numbers"),
            new Paragraph("Fill in what you did today; leave a field empty to skip it."),
            new Form(
                "log-daily",
                "Today, Friday 4 December",
                [
                    new FormField("booked", "Meetings booked", FormFieldKind.Number, 0, 200, "0"),
                    new FormField("held", "Meetings held", FormFieldKind.Number, 0, 200),
                    new FormField("qualified", "Qualified leads", FormFieldKind.Number, 0, 200, Value: "2"),
                    new FormField("date", "Date", FormFieldKind.Date, Value: "2026-12-04", Required: true),
                    new FormField("note", "Note", FormFieldKind.Text, Placeholder: "optional"),
                ],
                "Log"),
        ]);

    /// <summary>A confirmation with an undo button.</summary>
    public static Reply Logged { get; } = new(
        "Logged booked 5, held 3 for Fri 4 Dec",
        [
            new Paragraph("Logged booked 5, held 3 for Friday 4 December.", Tone.Good),
            new Actions([new ReplyAction("Undo", "undo"), new ReplyAction("My week", "my week")]),
        ]);

    /// <summary>An error reply (bad input).</summary>
    public static Reply Error { get; } = Reply.Text("I couldn't read \"bookd\" at position 5. Did you mean \"booked\"? Example: log booked 5 held 3", Tone.Attention);

    /// <summary>Text that tries to inject markup into every format.</summary>
    public static Reply Hostile { get; } = new(
        "<script>alert(1)</script> & <@U123>",
        [
            new Heading("<script>alert('h')</script>", new Badge("<b>x</b>", Tone.Attention)),
            new Paragraph("Tom & Jerry <script>alert(1)</script> <!channel> *bold* _it_ [link](http://x)"),
            new FactList([new Fact("<i>label</i>", "<img src=x onerror=alert(1)>")]),
            new Table(["<th>"], [new TableRow(["<td>&amp;"])]),
            new Actions([new ReplyAction("\"><script>", "funnel for \"<Anna>\"")]),
        ]);

    /// <summary>A huge table (60 rows) with many columns.</summary>
    public static Reply HugeTable { get; } = new(
        "Pipeline per stage per week, 60 people",
        [
            new Heading("Pipeline per person — " + new string('x', 200)),
            new Table(
                ["Person", "Stage 0", "Qualified", "Proposal", "Negotiation", "Won", "Slope", "State"],
                Enumerable.Range(1, 60).Select(i => new TableRow(
                    [$"Salesperson number {i} with a fairly long name", (i * 3).ToString(), (i * 2).ToString(), i.ToString(), (i / 2).ToString(), (i / 3).ToString(), "−1.5 %/week", i % 3 == 0 ? "Danger" : "Normal"],
                    i % 3 == 0 ? Tone.Attention : Tone.Default)).ToList()),
            new Actions(Enumerable.Range(1, 30).Select(i => new ReplyAction($"Person {i}", $"how is person {i} trending")).ToList()),
        ]);

    /// <summary>A 5,000-character paragraph and many facts.</summary>
    public static Reply HugeText { get; } = new(
        new string('s', 5_000),
        [
            new Paragraph(string.Join(' ', Enumerable.Repeat("Lorem ipsum dolor sit amet & co <tag>.", 140))[..5_000]),
            new FactList(Enumerable.Range(1, 25).Select(i => new Fact($"Fact {i}", new string('v', 2_500))).ToList()),
            new CoachingList("Coaching", Enumerable.Range(1, 40).Select(i => new CoachingItem($"Advice {i} " + new string('a', 100), "Evidence " + new string('e', 200))).ToList()),
        ]);

    /// <summary>Many blocks: more than 50 in Slack terms.</summary>
    public static Reply ManyBlocks { get; } = new(
        "Many blocks",
        Enumerable.Range(1, 70).Select(i => (ReplyBlock)new Paragraph($"Paragraph {i}")).Append(new Actions([new ReplyAction("Help", "help")])).ToList());

    /// <summary>A chart with no data at all.</summary>
    public static Reply EmptyChart { get; } = new(
        "No data yet",
        [
            new Heading("Ola Nyberg", new Badge("Not yet a statistic", Tone.Muted)),
            new Chart("Revenue won per week", ChartKind.Line, [], []),
            new Table(["Person", "State"], []),
            new CoachingList("What to do", []),
        ]);

    /// <summary>The channel nudge: who has not logged this week, mentioned so they are notified.</summary>
    public static Reply Nudge { get; } = new(
        "Weekly nudge: 2 people have not logged this week",
        [
            new Heading("This week so far"),
            new Mentions("Not logged yet this week:", [new MentionedPerson("U024BE7LH", "Anna Berg"), new MentionedPerson("local-bob", "Bob <Ek>")]),
            new Actions([new ReplyAction("Log now", "log", Primary: true)]),
        ],
        ReplyVisibility.Conversation);

    /// <summary>Every sample by name (for theories).</summary>
    public static IReadOnlyDictionary<string, Reply> All { get; } = new Dictionary<string, Reply>
    {
        [nameof(Trend)] = Trend,
        [nameof(Funnel)] = Funnel,
        [nameof(Team)] = Team,
        [nameof(Forecast)] = Forecast,
        [nameof(LogForm)] = LogForm,
        [nameof(Logged)] = Logged,
        [nameof(Error)] = Error,
        [nameof(Hostile)] = Hostile,
        [nameof(HugeTable)] = HugeTable,
        [nameof(HugeText)] = HugeText,
        [nameof(ManyBlocks)] = ManyBlocks,
        [nameof(EmptyChart)] = EmptyChart,
        [nameof(Nudge)] = Nudge,
    };

    /// <summary>The sample names, as xunit member data.</summary>
    public static TheoryData<string> Names { get; } = new(All.Keys);
}
