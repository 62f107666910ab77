using System.Globalization;

namespace KpiBot.Cards;

/// <summary>
/// Number formatting for cards: invariant culture (a card is read by a whole team whose members' locales differ),
/// the team's currency code after money, and a true minus sign (U+2212) so negative trends read clearly.
/// </summary>
public static class CardFormat
{
    private const string Minus = "\u2212";

    /// <summary>A money amount: <c>120,000 SEK</c>; fractions only when there are any (<c>49,901.64 SEK</c>).</summary>
    public static string Money(decimal amount, string currency) =>
        Sign(amount.ToString("#,0.##", CultureInfo.InvariantCulture)) + " " + currency;

    /// <summary>A rate as a whole percentage: <c>42 %</c> (a flagged 167 % is shown as is).</summary>
    public static string Percent(double fraction) =>
        Sign((fraction * 100).ToString("0", CultureInfo.InvariantCulture)) + " %";

    /// <summary>A relative slope with its sign and one decimal: <c>+4.0 %/week</c>, <c>−12.4 %/week</c>.</summary>
    public static string PercentPerWeek(double fraction) =>
        Sign((fraction * 100).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture)) + " %/week";

    /// <summary>A count without a needless fraction: <c>12</c>, <c>2.5</c>.</summary>
    public static string Count(decimal value) => Sign(value.ToString("#,0.##", CultureInfo.InvariantCulture));

    /// <summary>A number with up to <paramref name="decimals"/> decimals.</summary>
    public static string Number(double value, int decimals = 1) =>
        Sign(value.ToString("#,0." + new string('#', Math.Max(1, decimals)), CultureInfo.InvariantCulture));

    /// <summary>A p-value: <c>p = 0.03</c>, or <c>p &lt; 0.001</c>.</summary>
    public static string PValue(double p) =>
        p < 0.001 ? "p < 0.001" : "p = " + p.ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary>A local date: <c>2026-11-29</c>.</summary>
    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Sign(string formatted) => formatted.StartsWith('-') ? Minus + formatted[1..] : formatted;
}
