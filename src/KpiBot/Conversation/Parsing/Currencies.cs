using System.Globalization;

namespace KpiBot.Conversation.Parsing;

/// <summary>ISO 4217 currency codes known to the platform's culture data, and the symbols people type.</summary>
public static class Currencies
{
    private static readonly Lazy<HashSet<string>> Codes = new(() =>
    {
        var codes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "SEK", "NOK", "DKK", "EUR", "USD", "GBP", "CHF", "ISK", "PLN" };
        foreach (var culture in CultureInfo.GetCultures(CultureTypes.SpecificCultures))
        {
            try
            {
                var code = new RegionInfo(culture.Name).ISOCurrencySymbol;
                if (code.Length == 3)
                {
                    codes.Add(code);
                }
            }
            catch (ArgumentException)
            {
                // A culture without a region (rare in ICU data): it names no currency.
            }
        }
        return codes;
    });

    /// <summary>True when <paramref name="code"/> is a known ISO 4217 code (case ignored).</summary>
    public static bool IsIsoCode(string code) => code.Length == 3 && Codes.Value.Contains(code);

    /// <summary>
    /// The currency a word or symbol names, or null: an ISO code (<c>sek</c>), a symbol (<c>$</c>, <c>€</c>, <c>£</c>),
    /// or <c>kr</c>, which is the team's own currency when that is a krona/krone and SEK otherwise.
    /// </summary>
    public static string? FromWord(string word, string teamCurrency)
    {
        ArgumentNullException.ThrowIfNull(word);
        switch (word.ToLowerInvariant())
        {
            case "kr" or "kr." or "kronor" or "kroner" or "krona" or "krone":
                return teamCurrency is "SEK" or "NOK" or "DKK" or "ISK" ? teamCurrency : "SEK";
            case "$":
                return "USD";
            case "€" or "euro" or "euros":
                return "EUR";
            case "£":
                return "GBP";
            default:
                return IsIsoCode(word) ? word.ToUpperInvariant() : null;
        }
    }
}
