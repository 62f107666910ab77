using System.Globalization;
using System.Text;
using KpiBot.Domain;

namespace KpiBot.Import;

/// <summary>One row mapped to what a deal needs.</summary>
internal sealed record MappedRow(
    string ExternalId,
    string OwnerName,
    string Name,
    decimal Value,
    string Currency,
    string Stage,
    DateOnly Start,
    DateOnly? ExpectedClose,
    DealOutcome Outcome,
    DateOnly? Close);

/// <summary>
/// The per-row mapping rules (documented in docs/import.md). A row that breaks one is skipped with a
/// reason; the reasons are worded per kind (not per row) so the report can group them.
/// </summary>
internal sealed class RowRules
{
    private static readonly string[] DateFormats = ["yyyy-MM-dd", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-ddTHH:mm:ssZ", "yyyy/MM/dd"];
    private static readonly HashSet<string> WonWords = new(StringComparer.Ordinal) { "won", "win", "closed won", "closed-won", "closedwon" };
    private static readonly HashSet<string> LostWords = new(StringComparer.Ordinal) { "lost", "closed lost", "closed-lost", "closedlost" };

    private readonly Team _team;
    private readonly CrmFormat _format;
    private readonly IReadOnlyDictionary<string, decimal> _prices;
    private readonly string _currency;
    private readonly DateOnly _today;
    private readonly string _closedStage;

    public RowRules(Team team, CrmFormat format, IReadOnlyDictionary<string, decimal> prices, string currency, DateOnly today)
    {
        _team = team;
        _format = format;
        _prices = prices;
        _currency = currency;
        _today = today;
        var first = team.Stages.OrderBy(s => s.Order).FirstOrDefault()
            ?? throw new ImportFileException($"Team {team.Name} has no pipeline stages; add stages before importing deals.");
        // Maven's engage_date is when the account engaged: the team's stage for "engaging" (Qualified in
        // the default set). Other files say nothing about earlier stages, so a closed deal starts in the first stage.
        _closedStage = format == CrmFormat.Maven ? (FindStage("engaging")?.Key ?? first.Key) : first.Key;
    }

    private string Column(string field) => _format == CrmFormat.Maven && CrmFields.Maven.TryGetValue(field, out var c) ? c : field;

    public MappedRow? Map(CrmRow row, out string? reason)
    {
        reason = null;
        var id = row[CrmFields.Id];
        if (id is null)
        {
            reason = $"no {Column(CrmFields.Id)}: re-imports match deals by it";
            return null;
        }
        var owner = row[CrmFields.Owner];
        if (owner is null)
        {
            reason = $"no {Column(CrmFields.Owner)}: every deal belongs to a salesperson";
            return null;
        }
        var rawStage = row[CrmFields.Stage];
        if (rawStage is null)
        {
            reason = $"no {Column(CrmFields.Stage)}: expected Won, Lost or a stage ({StageList()})";
            return null;
        }
        var folded = PeopleBook.Fold(rawStage);
        DealOutcome outcome;
        string stage;
        if (WonWords.Contains(folded))
        {
            (outcome, stage) = (DealOutcome.Won, _closedStage);
        }
        else if (LostWords.Contains(folded))
        {
            (outcome, stage) = (DealOutcome.Lost, _closedStage);
        }
        else if (FindStage(folded) is { } open)
        {
            (outcome, stage) = (DealOutcome.Open, open.Key);
        }
        else
        {
            reason = $"{Column(CrmFields.Stage)} '{rawStage}' is neither Won, Lost nor a stage of team {_team.Name} ({StageList()})";
            return null;
        }

        var rawStart = row[CrmFields.Start];
        if (rawStart is null)
        {
            reason = _format == CrmFormat.Maven && FindStage(folded)?.Order == 0
                ? $"{rawStage} without {Column(CrmFields.Start)}: with no start date the deal cannot be placed in any week"
                : $"no {Column(CrmFields.Start)}: with no start date the deal cannot be placed in any week";
            return null;
        }
        if (!TryDate(rawStart, out var start))
        {
            reason = $"{Column(CrmFields.Start)} is not a date; expected yyyy-mm-dd such as 2017-03-01";
            return null;
        }
        if (start > _today)
        {
            reason = $"{Column(CrmFields.Start)} is in the future";
            return null;
        }

        DateOnly? close = null;
        var rawClose = row[CrmFields.Close];
        if (rawClose is not null)
        {
            if (!TryDate(rawClose, out var parsed))
            {
                reason = $"{Column(CrmFields.Close)} is not a date; expected yyyy-mm-dd such as 2017-03-01";
                return null;
            }
            close = parsed;
        }
        DateOnly? expected = null;
        if (row[CrmFields.ExpectedClose] is { } rawExpected)
        {
            if (!TryDate(rawExpected, out var parsed))
            {
                reason = $"{Column(CrmFields.ExpectedClose)} is not a date; expected yyyy-mm-dd such as 2017-03-01";
                return null;
            }
            expected = parsed;
        }
        if (outcome == DealOutcome.Open)
        {
            // An open deal's close date can only be the date it is expected to close.
            expected ??= close;
            close = null;
        }
        else
        {
            if (close is null)
            {
                reason = $"{outcome} without {Column(CrmFields.Close)}: a closed deal needs the date it closed";
                return null;
            }
            if (close < start)
            {
                reason = $"{Column(CrmFields.Close)} is before {Column(CrmFields.Start)}";
                return null;
            }
            if (close > _today)
            {
                reason = $"{Column(CrmFields.Close)} is in the future for a {outcome.ToString().ToLowerInvariant()} deal";
                return null;
            }
        }

        decimal? value = null;
        if (row[CrmFields.Value] is { } rawValue)
        {
            if (!TryAmount(rawValue, out var parsed))
            {
                reason = $"{Column(CrmFields.Value)} is not an amount; expected a number such as 1054 or 1054.50";
                return null;
            }
            if (parsed < 0)
            {
                reason = $"{Column(CrmFields.Value)} is negative";
                return null;
            }
            value = parsed;
        }
        var product = row[CrmFields.Product];
        if (outcome == DealOutcome.Won && value is null)
        {
            reason = $"Won without {Column(CrmFields.Value)}: the won amount is the revenue";
            return null;
        }
        if (outcome != DealOutcome.Won && (value is null or 0) && product is not null && _prices.TryGetValue(DealImporter.ProductKey(product), out var listPrice))
        {
            // Maven leaves lost and open amounts empty or 0; the product's list price is the best
            // estimate of what was at stake (the forecast needs a value for open deals).
            value = listPrice;
        }

        var currency = _currency;
        if (row[CrmFields.Currency] is { } rawCurrency)
        {
            try
            {
                currency = DealImporter.CheckCurrency(rawCurrency, Column(CrmFields.Currency));
            }
            catch (ImportFileException)
            {
                reason = $"{Column(CrmFields.Currency)} is not a three-letter ISO 4217 code such as USD";
                return null;
            }
        }

        var account = row[CrmFields.Account];
        var name = row[CrmFields.Name]
            ?? (account is not null && product is not null ? $"{account} · {product}" : account ?? product ?? id);
        return new MappedRow(id, owner, name, value ?? 0m, currency, stage, start, expected, outcome, close);
    }

    private StageDefinition? FindStage(string folded) => _team.Stages.FirstOrDefault(s =>
        PeopleBook.Fold(s.Key) == folded || PeopleBook.Fold(s.DisplayName) == folded || s.Synonyms.Any(w => PeopleBook.Fold(w) == folded));

    private string StageList() => string.Join(", ", _team.Stages.OrderBy(s => s.Order).Select(s => s.Key));

    private static bool TryDate(string text, out DateOnly date)
    {
        if (DateTime.TryParseExact(text.Trim(), DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var parsed))
        {
            date = DateOnly.FromDateTime(parsed);
            return true;
        }
        date = default;
        return false;
    }

    private static bool TryAmount(string text, out decimal amount)
    {
        var cleaned = new StringBuilder(text.Length);
        foreach (var c in text.Trim())
        {
            // Thousands separators people paste: spaces, no-break spaces, apostrophes (1'054).
            if (!char.IsWhiteSpace(c) && c != '\u00a0' && c != '\'' && c != '$' && c != '€')
            {
                cleaned.Append(c);
            }
        }
        return decimal.TryParse(cleaned.ToString(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowThousands,
            CultureInfo.InvariantCulture, out amount);
    }
}

/// <summary>The workspace's people as the import sees them: found by name (loosely), created when new.</summary>
internal sealed class PeopleBook
{
    private readonly Dictionary<string, Person> _byName = new(StringComparer.Ordinal);
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Person> _created = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Person> _updated = new(StringComparer.Ordinal);
    private readonly HashSet<string> _repsInFile = new(StringComparer.Ordinal);
    private readonly string _workspaceId;
    private readonly string _teamId;
    private readonly DateTimeOffset _now;

    public PeopleBook(IReadOnlyList<Person> existing, string workspaceId, string teamId, DateTimeOffset now)
    {
        _workspaceId = workspaceId;
        _teamId = teamId;
        _now = now;
        foreach (var person in existing)
        {
            _byName.TryAdd(Fold(person.DisplayName), person);
            _ids.Add(person.Id);
        }
    }

    public int CreatedCount => _created.Count;

    public int UpdatedCount => _updated.Count;

    /// <summary>The salesperson with this name, created as a rep in the import's team when new.</summary>
    public Person Rep(string displayName)
    {
        var person = Find(displayName) ?? Create(displayName, Role.Rep);
        _repsInFile.Add(person.Id);
        return person;
    }

    /// <summary>Sets each imported rep's manager from the roster, creating managers as Manager people.</summary>
    public void LinkManagers(IReadOnlyDictionary<string, string> managerByAgent)
    {
        foreach (var key in _byName.Keys.ToList())
        {
            var rep = _byName[key];
            if (!_repsInFile.Contains(rep.Id) || !managerByAgent.TryGetValue(key, out var managerName))
            {
                continue;
            }
            var manager = Find(managerName) ?? Create(managerName, Role.Manager);
            if (rep.ManagerId != manager.Id && rep.Id != manager.Id)
            {
                Put(rep with { ManagerId = manager.Id });
            }
        }
    }

    /// <summary>People created or changed by this import.</summary>
    public IReadOnlyList<Person> Changed() => [.. _created.Values, .. _updated.Values];

    /// <summary>Case, accents and repeated spaces ignored.</summary>
    public static string Fold(string text)
    {
        var decomposed = text.Trim().Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        var space = false;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }
            if (space && builder.Length > 0)
            {
                builder.Append(' ');
            }
            space = false;
            builder.Append(char.ToLowerInvariant(c));
        }
        return builder.ToString();
    }

    private Person? Find(string displayName) => _byName.GetValueOrDefault(Fold(displayName));

    private Person Create(string displayName, Role role)
    {
        var slug = new string(Fold(displayName).Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray()).Trim('-');
        var id = "crm-" + (slug.Length > 0 ? slug : "person");
        for (var n = 2; _ids.Contains(id); n++)
        {
            id = $"crm-{slug}-{n}";
        }
        var person = new Person(id, _workspaceId, _teamId, displayName.Trim(), role, null, null, [], null, _now);
        _ids.Add(id);
        _byName[Fold(displayName)] = person;
        _created[id] = person;
        return person;
    }

    private void Put(Person person)
    {
        _byName[Fold(person.DisplayName)] = person;
        if (_created.ContainsKey(person.Id))
        {
            _created[person.Id] = person;
        }
        else
        {
            _updated[person.Id] = person;
        }
    }
}
