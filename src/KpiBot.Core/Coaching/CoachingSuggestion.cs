using System.Text.Json.Serialization;

namespace KpiBot.Coaching;

/// <summary>How urgent a suggestion is; the card colours it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CoachingUrgency>))]
public enum CoachingUrgency
{
    /// <summary>Keep doing what works.</summary>
    Reinforce,
    /// <summary>Structured support soon.</summary>
    Support,
    /// <summary>Intervene now.</summary>
    Intervene,
}

/// <summary>One coaching suggestion chosen by a rule, quoting the numbers that triggered it.</summary>
/// <param name="Rule">Stable rule id (<c>state.danger</c>, <c>bottleneck.booked-held</c>, <c>pipeline.stage0-shrinking</c>, <c>forecast.deviation</c>, …).</param>
/// <param name="Advice">What to do.</param>
/// <param name="Evidence">Why: the numbers, e.g. "revenue −14.2 %/week over 8 weeks (Mann–Kendall p = 0.03)".</param>
/// <param name="Urgency">How urgent.</param>
public sealed record CoachingSuggestion(string Rule, string Advice, string Evidence, CoachingUrgency Urgency);
