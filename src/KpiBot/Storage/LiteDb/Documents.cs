using System.Globalization;
using KpiBot.Domain;
using LiteDB;

namespace KpiBot.Storage.LiteDb;

// Persistence documents. They are deliberately separate from the Domain records: BsonMapper needs
// mutable classes with parameterless constructors and List<T>, while the domain is immutable
// records with IReadOnlyList<T>. Each document maps both ways with ToDomain/From.
//
// Conventions, kept the same in every collection so indexes and range queries work:
// - DateOnly is an int yyyymmdd (20261204): sortable, compact, indexable, readable in LiteDB Studio.
// - DateTimeOffset is stored as UTC ticks (long): exact round trip of the instant, sortable.
// - Composite keys ("workspace + person + date") are one string field joined with U+001F, a
//   character that never occurs in ids and sorts before every printable one, so a prefix range
//   [ws␟person␟20260101, ws␟person␟20261231] is exactly that person's dates.

/// <summary>Key and value conversions shared by the LiteDB documents.</summary>
internal static class DocKeys
{
    /// <summary>The separator of composite keys (unit separator).</summary>
    public const char Separator = '\u001f';

    public static string Of(string a, string b) => string.Concat(a, Separator.ToString(), b);

    public static string Of(string a, string b, string c) => string.Join(Separator, a, b, c);

    public static int Date(DateOnly date) => date.Year * 10000 + date.Month * 100 + date.Day;

    public static int? Date(DateOnly? date) => date is { } d ? Date(d) : null;

    public static DateOnly Date(int yyyymmdd) => new(yyyymmdd / 10000, yyyymmdd / 100 % 100, yyyymmdd % 100);

    public static DateOnly? Date(int? yyyymmdd) => yyyymmdd is { } v ? Date(v) : null;

    public static string DateText(DateOnly date) => Date(date).ToString("D8", CultureInfo.InvariantCulture);

    public static long Ticks(DateTimeOffset at) => at.UtcTicks;

    public static long? Ticks(DateTimeOffset? at) => at?.UtcTicks;

    public static DateTimeOffset At(long ticks) => new(ticks, TimeSpan.Zero);

    public static DateTimeOffset? At(long? ticks) => ticks is { } t ? At(t) : null;

    /// <summary>Fixed-width ticks so string order is time order.</summary>
    public static string TicksText(DateTimeOffset at) => at.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);
}

/// <summary>
/// Shares the string instances of low-variety fields (workspace, person, metric, stage, currency ids) among
/// the records read from the database. A KPI run of a large team holds hundreds of thousands of entries
/// and deals; without sharing, every record carries its own copy of "local:acme" and "booked". Bounded,
/// so a workload with many distinct ids stops pooling instead of growing without limit.
/// </summary>
internal static class SharedStrings
{
    private const int Capacity = 200_000;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Pool = new(StringComparer.Ordinal);

    public static string Share(string value)
    {
        if (Pool.TryGetValue(value, out var shared))
        {
            return shared;
        }
        return Pool.Count < Capacity ? Pool.GetOrAdd(value, value) : value;
    }

    public static string? ShareOrNull(string? value) => value is null ? null : Share(value);
}

/// <summary>
/// One instance per distinct change id within one read. The entries of a change set (one chat message, one import)
/// carry the same 32-character id, which was about a third of a loaded entry's memory; unlike
/// <see cref="SharedStrings"/> this pool lives only as long as the read, because change ids never stop coming.
/// </summary>
internal sealed class ChangeIdSharing
{
    private readonly Dictionary<string, string> _seen = new(StringComparer.Ordinal);

    public string Share(string changeId)
    {
        if (_seen.TryGetValue(changeId, out var shared))
        {
            return shared;
        }
        _seen[changeId] = changeId;
        return changeId;
    }
}

/// <summary>A stored workspace.</summary>
internal sealed class WorkspaceDoc
{
    [BsonId] public string Id { get; set; } = "";
    public Platform Platform { get; set; }
    public string Name { get; set; } = "";
    public long CreatedAt { get; set; }

    public Workspace ToDomain() => new(Id, Platform, Name, DocKeys.At(CreatedAt));

    public static WorkspaceDoc From(Workspace w) => new() { Id = w.Id, Platform = w.Platform, Name = w.Name, CreatedAt = DocKeys.Ticks(w.CreatedAt) };
}

/// <summary>A stored team with its settings, statistics and stages embedded.</summary>
internal sealed class TeamDoc
{
    [BsonId] public string Key { get; set; } = "";
    public string WorkspaceId { get; set; } = "";
    public string TeamId { get; set; } = "";
    public string Name { get; set; } = "";
    public TeamSettingsDoc Settings { get; set; } = new();
    public List<MetricDoc> Metrics { get; set; } = [];
    public List<StageDoc> Stages { get; set; } = [];
    public long CreatedAt { get; set; }

    public static string KeyOf(string workspaceId, string teamId) => DocKeys.Of(workspaceId, teamId);

    public Team ToDomain() => new(TeamId, WorkspaceId, Name, Settings.ToDomain(),
        Metrics.Select(m => m.ToDomain()).ToList(), Stages.Select(s => s.ToDomain()).ToList(), DocKeys.At(CreatedAt));

    public static TeamDoc From(Team t) => new()
    {
        Key = KeyOf(t.WorkspaceId, t.Id),
        WorkspaceId = t.WorkspaceId,
        TeamId = t.Id,
        Name = t.Name,
        Settings = TeamSettingsDoc.From(t.Settings),
        Metrics = t.Metrics.Select(MetricDoc.From).ToList(),
        Stages = t.Stages.Select(StageDoc.From).ToList(),
        CreatedAt = DocKeys.Ticks(t.CreatedAt),
    };
}

/// <summary>Embedded <see cref="TeamSettings"/>.</summary>
internal sealed class TeamSettingsDoc
{
    public string TimeZoneId { get; set; } = "";
    public string Currency { get; set; } = "";
    public int TrendWeeks { get; set; }
    public int ConversionWeeks { get; set; }
    public double DangerAtOrBelow { get; set; }
    public double NormalAbove { get; set; }
    public double InControlAtOrBelow { get; set; }
    public double WatchAtOrBelow { get; set; }
    public ForecastPeriod ForecastPeriod { get; set; }
    public int MaxDailyCount { get; set; }
    public int ReminderWorkingDays { get; set; }

    public TeamSettings ToDomain() => new(TimeZoneId, Currency, TrendWeeks, ConversionWeeks,
        new StatusThresholds(DangerAtOrBelow, NormalAbove), new ForecastBands(InControlAtOrBelow, WatchAtOrBelow),
        ForecastPeriod, MaxDailyCount, ReminderWorkingDays);

    public static TeamSettingsDoc From(TeamSettings s) => new()
    {
        TimeZoneId = s.TimeZoneId,
        Currency = s.Currency,
        TrendWeeks = s.TrendWeeks,
        ConversionWeeks = s.ConversionWeeks,
        DangerAtOrBelow = s.Status.DangerAtOrBelow,
        NormalAbove = s.Status.NormalAbove,
        InControlAtOrBelow = s.Forecast.InControlAtOrBelow,
        WatchAtOrBelow = s.Forecast.WatchAtOrBelow,
        ForecastPeriod = s.ForecastPeriod,
        MaxDailyCount = s.MaxDailyCount,
        ReminderWorkingDays = s.ReminderWorkingDays,
    };
}

/// <summary>Embedded <see cref="MetricDefinition"/>.</summary>
internal sealed class MetricDoc
{
    public string Key { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public MetricKind Kind { get; set; }
    public MetricUnit Unit { get; set; }
    public MetricSource Source { get; set; }
    public int? Phase { get; set; }
    public List<string> Synonyms { get; set; } = [];

    public MetricDefinition ToDomain() => new(Key, DisplayName, Kind, Unit, Source, Phase, Synonyms.ToList());

    public static MetricDoc From(MetricDefinition m) => new()
    {
        Key = m.Key, DisplayName = m.DisplayName, Kind = m.Kind, Unit = m.Unit, Source = m.Source, Phase = m.Phase, Synonyms = m.Synonyms.ToList(),
    };
}

/// <summary>Embedded <see cref="StageDefinition"/>.</summary>
internal sealed class StageDoc
{
    public string Key { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public int Order { get; set; }
    public double Probability { get; set; }
    public List<string> Synonyms { get; set; } = [];

    public StageDefinition ToDomain() => new(Key, DisplayName, Order, Probability, Synonyms.ToList());

    public static StageDoc From(StageDefinition s) => new()
    {
        Key = s.Key, DisplayName = s.DisplayName, Order = s.Order, Probability = s.Probability, Synonyms = s.Synonyms.ToList(),
    };
}

/// <summary>A stored person.</summary>
internal sealed class PersonDoc
{
    [BsonId] public string Key { get; set; } = "";
    public string WorkspaceId { get; set; } = "";
    public string PersonId { get; set; } = "";
    public string TeamId { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public Role Role { get; set; }
    public string? PlatformUserId { get; set; }

    /// <summary>workspace ␟ platform user id, indexed; null for people not yet linked to a chat user.</summary>
    public string? PlatformKey { get; set; }
    public string? TimeZoneId { get; set; }
    public List<AwayDoc> Away { get; set; } = [];
    public string? ManagerId { get; set; }
    public long CreatedAt { get; set; }

    public static string KeyOf(string workspaceId, string personId) => DocKeys.Of(workspaceId, personId);

    public Person ToDomain() => new(PersonId, WorkspaceId, TeamId, DisplayName, Role, PlatformUserId, TimeZoneId,
        Away.Select(a => new AwayPeriod(DocKeys.Date(a.From), DocKeys.Date(a.To))).ToList(), ManagerId, DocKeys.At(CreatedAt));

    public static PersonDoc From(Person p) => new()
    {
        Key = KeyOf(p.WorkspaceId, p.Id),
        WorkspaceId = p.WorkspaceId,
        PersonId = p.Id,
        TeamId = p.TeamId,
        DisplayName = p.DisplayName,
        Role = p.Role,
        PlatformUserId = p.PlatformUserId,
        PlatformKey = p.PlatformUserId is null ? null : DocKeys.Of(p.WorkspaceId, p.PlatformUserId),
        TimeZoneId = p.TimeZoneId,
        Away = p.Away.Select(a => new AwayDoc { From = DocKeys.Date(a.From), To = DocKeys.Date(a.To) }).ToList(),
        ManagerId = p.ManagerId,
        CreatedAt = DocKeys.Ticks(p.CreatedAt),
    };
}

/// <summary>Embedded <see cref="AwayPeriod"/> (dates as yyyymmdd).</summary>
internal sealed class AwayDoc
{
    public int From { get; set; }
    public int To { get; set; }
}

/// <summary>A stored daily entry.</summary>
internal sealed class EntryDoc
{
    [BsonId] public string Key { get; set; } = "";
    public string WorkspaceId { get; set; } = "";
    public string EntryId { get; set; } = "";
    public string PersonId { get; set; } = "";
    public int Date { get; set; }
    public string Metric { get; set; } = "";
    public decimal Value { get; set; }
    public string AuthorId { get; set; } = "";
    public string ChangeId { get; set; } = "";
    public long RecordedAt { get; set; }

    /// <summary>workspace ␟ person ␟ yyyymmdd: the (workspace, person, date) index of the KPI queries.</summary>
    public string PersonDateKey { get; set; } = "";

    /// <summary>workspace ␟ yyyymmdd: the whole team's entries in a date range.</summary>
    public string WorkspaceDateKey { get; set; } = "";

    public DailyEntry ToDomain(ChangeIdSharing? changeIds = null) => new(EntryId, SharedStrings.Share(WorkspaceId), SharedStrings.Share(PersonId), DocKeys.Date(Date),
        SharedStrings.Share(Metric), Value, SharedStrings.Share(AuthorId), changeIds?.Share(ChangeId) ?? ChangeId, DocKeys.At(RecordedAt));

    public static string PersonDate(string workspaceId, string personId, DateOnly date) => DocKeys.Of(workspaceId, personId, DocKeys.DateText(date));

    public static EntryDoc From(DailyEntry e) => new()
    {
        Key = DocKeys.Of(e.WorkspaceId, e.Id),
        WorkspaceId = e.WorkspaceId,
        EntryId = e.Id,
        PersonId = e.PersonId,
        Date = DocKeys.Date(e.Date),
        Metric = e.Metric,
        Value = e.Value,
        AuthorId = e.AuthorId,
        ChangeId = e.ChangeId,
        RecordedAt = DocKeys.Ticks(e.RecordedAt),
        PersonDateKey = PersonDate(e.WorkspaceId, e.PersonId, e.Date),
        WorkspaceDateKey = DocKeys.Of(e.WorkspaceId, DocKeys.DateText(e.Date)),
    };
}

/// <summary>A stored deal with its stage history embedded.</summary>
internal sealed class DealDoc
{
    [BsonId] public string Key { get; set; } = "";
    public string WorkspaceId { get; set; } = "";
    public string DealId { get; set; } = "";
    public string OwnerId { get; set; } = "";

    /// <summary>
    /// workspace ␟ owner ␟ yyyymmdd of the close date (open deals sort last): the (owner, close) index, whose
    /// ranges answer "this owner's deals not closed before X". Stored, not an expression index: evaluating an
    /// expression per index write made a CRM import about a third slower.
    /// </summary>
    public string OwnerCloseKey { get; set; } = "";

    /// <summary>workspace ␟ owner ␟ yyyymmdd of the start date: the (owner, start) index (all of an owner's deals, earliest first).</summary>
    public string OwnerStartKey { get; set; } = "";
    public string Name { get; set; } = "";

    /// <summary>The name folded for loose matching (lower case, accents removed).</summary>
    public string NameFolded { get; set; } = "";
    public decimal Value { get; set; }
    public string Currency { get; set; } = "";
    public string Stage { get; set; } = "";
    public List<StageChangeDoc> History { get; set; } = [];
    public int StartDate { get; set; }
    public int? ExpectedClose { get; set; }
    public DealOutcome Outcome { get; set; }
    public int? CloseDate { get; set; }
    public string? ExternalId { get; set; }

    /// <summary>
    /// workspace ␟ external id, unique. Deals typed in chat have no external id; they get
    /// workspace ␟ U+001E ␟ deal id instead, so the unique index never sees two equal keys
    /// (LiteDB's unique index would refuse a second null).
    /// </summary>
    public string ExternalKey { get; set; } = "";

    public static string KeyOf(string workspaceId, string dealId) => DocKeys.Of(workspaceId, dealId);

    public static string ExternalKeyOf(string workspaceId, string externalId) => DocKeys.Of(workspaceId, externalId);

    /// <summary>Open deals sort after every close date; dates as 8 digits, so string order is date order.</summary>
    public const string OpenCloseText = "99999999";

    /// <summary>The (owner, close) key; see <see cref="OwnerCloseKey"/>.</summary>
    public static string OwnerCloseKeyOf(string workspaceId, string ownerId, DateOnly? closeDate) =>
        DocKeys.Of(workspaceId, ownerId, closeDate is { } closed ? DocKeys.DateText(closed) : OpenCloseText);

    /// <summary>The (owner, start) key; see <see cref="OwnerStartKey"/>.</summary>
    public static string OwnerStartKeyOf(string workspaceId, string ownerId, DateOnly startDate) =>
        DocKeys.Of(workspaceId, ownerId, DocKeys.DateText(startDate));

    public Deal ToDomain() => new(DealId, SharedStrings.Share(WorkspaceId), SharedStrings.Share(OwnerId), Name, Value, SharedStrings.Share(Currency), SharedStrings.Share(Stage),
        History.Select(h => new StageChange(SharedStrings.Share(h.Stage), DocKeys.Date(h.Date))).ToArray(),
        DocKeys.Date(StartDate), DocKeys.Date(ExpectedClose), Outcome, DocKeys.Date(CloseDate), ExternalId);

    public static DealDoc From(Deal d) => new()
    {
        Key = KeyOf(d.WorkspaceId, d.Id),
        WorkspaceId = d.WorkspaceId,
        DealId = d.Id,
        OwnerId = d.OwnerId,
        OwnerCloseKey = OwnerCloseKeyOf(d.WorkspaceId, d.OwnerId, d.CloseDate),
        OwnerStartKey = OwnerStartKeyOf(d.WorkspaceId, d.OwnerId, d.StartDate),
        Name = d.Name,
        NameFolded = NameFolding.Fold(d.Name),
        Value = d.Value,
        Currency = d.Currency,
        Stage = d.Stage,
        History = d.History.Select(h => new StageChangeDoc { Stage = h.Stage, Date = DocKeys.Date(h.Date) }).ToList(),
        StartDate = DocKeys.Date(d.StartDate),
        ExpectedClose = DocKeys.Date(d.ExpectedClose),
        Outcome = d.Outcome,
        CloseDate = DocKeys.Date(d.CloseDate),
        ExternalId = d.ExternalId,
        ExternalKey = d.ExternalId is null
            ? DocKeys.Of(d.WorkspaceId, "\u001e", d.Id)
            : ExternalKeyOf(d.WorkspaceId, d.ExternalId),
    };
}

/// <summary>Embedded <see cref="StageChange"/>.</summary>
internal sealed class StageChangeDoc
{
    public string Stage { get; set; } = "";
    public int Date { get; set; }
}

/// <summary>A stored change record (the audit log and the handle for undo).</summary>
internal sealed class ChangeDoc
{
    [BsonId] public string Id { get; set; } = "";
    public string WorkspaceId { get; set; } = "";
    public string AuthorId { get; set; } = "";
    public string SourceId { get; set; } = "";

    /// <summary>workspace ␟ source id, unique: the idempotency key.</summary>
    public string SourceKey { get; set; } = "";
    public string Summary { get; set; } = "";
    public long At { get; set; }
    public bool Undone { get; set; }
    public long? UndoneAt { get; set; }

    /// <summary>workspace ␟ author ␟ fixed-width ticks: "the author's latest change".</summary>
    public string AuthorAtKey { get; set; } = "";

    /// <summary>workspace ␟ fixed-width ticks: the audit log in time order.</summary>
    public string WorkspaceAtKey { get; set; } = "";

    public static string SourceKeyOf(string workspaceId, string sourceId) => DocKeys.Of(workspaceId, sourceId);

    public ChangeRecord ToDomain() => new(Id, WorkspaceId, AuthorId, SourceId, Summary, DocKeys.At(At), Undone, DocKeys.At(UndoneAt));

    public static ChangeDoc New(string id, string workspaceId, string authorId, string sourceId, string sourceKey, string summary, DateTimeOffset at) => new()
    {
        Id = id,
        WorkspaceId = workspaceId,
        AuthorId = authorId,
        SourceId = sourceId,
        SourceKey = sourceKey,
        Summary = summary,
        At = DocKeys.Ticks(at),
        AuthorAtKey = DocKeys.Of(workspaceId, authorId, DocKeys.TicksText(at)),
        WorkspaceAtKey = DocKeys.Of(workspaceId, DocKeys.TicksText(at)),
    };
}

/// <summary>A processed inbound platform delivery (for retry de-duplication).</summary>
internal sealed class InboundDoc
{
    [BsonId] public string Key { get; set; } = "";
    public long At { get; set; }
}

/// <summary>Loose name matching: case and accents ignored, inner whitespace collapsed.</summary>
internal static class NameFolding
{
    public static string Fold(string name)
    {
        var decomposed = (name ?? "").Trim().Normalize(System.Text.NormalizationForm.FormD);
        var builder = new System.Text.StringBuilder(decomposed.Length);
        var lastWasSpace = false;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }
            if (char.IsWhiteSpace(c))
            {
                if (!lastWasSpace)
                {
                    builder.Append(' ');
                }
                lastWasSpace = true;
                continue;
            }
            lastWasSpace = false;
            builder.Append(char.ToLowerInvariant(c));
        }
        return builder.ToString().Normalize(System.Text.NormalizationForm.FormC);
    }
}

/// <summary>
/// The one <see cref="BsonMapper"/> of KpiBot's LiteDB databases, with every document type mapped up
/// front. LiteDB 5 builds a type's mapping on first use and publishes it in a plain dictionary before it is
/// complete, so two threads touching a new type at once can see a half-built mapping; warming every type
/// here, once, under the static initialiser's lock, removes that race.
/// </summary>
internal static class KpiBsonMapper
{
    /// <summary>
    /// A new mapper for one database. Not shared between databases: hosts opened at the same time (two test
    /// servers in one process) raced on a shared one ("Member … not found on BsonMapper"). Stores of other
    /// areas warm their own document types in their constructors, which DI runs once.
    /// </summary>
    public static BsonMapper Create()
    {
        var mapper = new BsonMapper();
        mapper.Entity<WorkspaceDoc>();
        mapper.Entity<TeamDoc>();
        mapper.Entity<TeamSettingsDoc>();
        mapper.Entity<MetricDoc>();
        mapper.Entity<StageDoc>();
        mapper.Entity<PersonDoc>();
        mapper.Entity<AwayDoc>();
        mapper.Entity<EntryDoc>();
        mapper.Entity<DealDoc>();
        mapper.Entity<StageChangeDoc>();
        mapper.Entity<ChangeDoc>();
        mapper.Entity<InboundDoc>();
        mapper.Entity<ConversationDoc>();
        return mapper;
    }
}
