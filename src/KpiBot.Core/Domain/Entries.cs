namespace KpiBot.Domain;

/// <summary>One logged number: a person's count of one metric on one local day. Entries add up.</summary>
/// <param name="Date">The person's local date the number belongs to.</param>
/// <param name="AuthorId">Who typed it (the person, or a manager logging for them).</param>
/// <param name="ChangeId">The change set that stored it; undo removes the whole change set.</param>
public sealed record DailyEntry(
    string Id,
    string WorkspaceId,
    string PersonId,
    DateOnly Date,
    string Metric,
    decimal Value,
    string AuthorId,
    string ChangeId,
    DateTimeOffset RecordedAt);

/// <summary>How a deal ended, if it did.</summary>
public enum DealOutcome
{
    /// <summary>Still in the pipeline.</summary>
    Open,
    /// <summary>Won: counts once toward deals won and revenue.</summary>
    Won,
    /// <summary>Lost.</summary>
    Lost,
}

/// <summary>A deal entered a stage on a local date.</summary>
public sealed record StageChange(string Stage, DateOnly Date);

/// <summary>A deal (opportunity) with its full stage history.</summary>
/// <param name="Name">Deal or account name as typed (<c>Acme</c>).</param>
/// <param name="Stage">Current stage key (for closed deals: the last open stage).</param>
/// <param name="History">Every stage the deal entered, in date order; the first is its stage at start.</param>
/// <param name="StartDate">When the deal started (CRM engage date); the sales cycle runs from here to close.</param>
/// <param name="ExpectedClose">Expected close date for the weighted forecast, when known.</param>
/// <param name="ExternalId">Id in an imported CRM (opportunity_id), for idempotent re-imports.</param>
public sealed record Deal(
    string Id,
    string WorkspaceId,
    string OwnerId,
    string Name,
    decimal Value,
    string Currency,
    string Stage,
    IReadOnlyList<StageChange> History,
    DateOnly StartDate,
    DateOnly? ExpectedClose,
    DealOutcome Outcome,
    DateOnly? CloseDate,
    string? ExternalId)
{
    /// <summary>The stage the deal was in at the end of <paramref name="date"/>, or null when it had not started.</summary>
    public string? StageOn(DateOnly date)
    {
        string? stage = null;
        foreach (var change in History)
        {
            if (change.Date > date)
            {
                break;
            }
            stage = change.Stage;
        }
        return stage ?? (date >= StartDate ? Stage : null);
    }

    /// <summary>True when the deal was open (started, not yet closed) at the end of <paramref name="date"/>.</summary>
    public bool IsOpenOn(DateOnly date) =>
        StartDate <= date && (Outcome == DealOutcome.Open || CloseDate is null || CloseDate > date);
}
