namespace KpiBot.Conversation.Commands;

/// <summary>ISO week helpers for the conversation replies (weeks start on Monday).</summary>
internal static class Weeks
{
    /// <summary>The Monday of the ISO week containing <paramref name="date"/>.</summary>
    public static DateOnly MondayOf(DateOnly date) => date.AddDays(-(((int)date.DayOfWeek + 6) % 7));
}
