using KpiBot.Domain;

namespace KpiBot.Kpis;

/// <summary>KPI 4 (deal value per sales-cycle month) and the deal figures, over deals closed in a window.</summary>
public static class DealKpis
{
    /// <summary>Days in the average month (365.25 ÷ 12, rounded as the design specifies).</summary>
    public const double DaysPerMonth = 30.44;

    /// <summary>A won deal's cycle in days: close − start, at least one day (a same-day win is one day, not zero).</summary>
    public static int CycleDays(Deal deal)
    {
        ArgumentNullException.ThrowIfNull(deal);
        var close = deal.CloseDate ?? deal.StartDate;
        return Math.Max(1, close.DayNumber - deal.StartDate.DayNumber);
    }

    /// <summary>
    /// Σ value ÷ Σ cycle months over deals won between <paramref name="start"/> and <paramref name="end"/> (both included).
    /// 100,000 won in 2 months (50,000 per month) beats 150,000 in 6 months (25,000 per month).
    /// </summary>
    public static CycleValueReport ValuePerCycleMonth(IEnumerable<Deal> deals, DateOnly start, DateOnly end)
    {
        ArgumentNullException.ThrowIfNull(deals);
        var count = 0;
        decimal value = 0;
        var days = 0;
        foreach (var deal in deals)
        {
            if (IsWonBetween(deal, start, end))
            {
                count++;
                value += deal.Value;
                days += CycleDays(deal);
            }
        }

        var months = days / DaysPerMonth;
        decimal? perMonth = count > 0 ? Math.Round(value / (decimal)months, 2) : null;
        return new CycleValueReport(start, end, count, value, days, Math.Round(months, 4), perMonth);
    }

    /// <summary>Won, lost, close rate, won value, average won value and average cycle for deals closed in the window.</summary>
    public static DealFigures Figures(IEnumerable<Deal> deals, DateOnly start, DateOnly end)
    {
        ArgumentNullException.ThrowIfNull(deals);
        int won = 0, lost = 0, open = 0, cycleDays = 0;
        decimal value = 0;
        foreach (var deal in deals)
        {
            if (IsWonBetween(deal, start, end))
            {
                won++;
                value += deal.Value;
                cycleDays += CycleDays(deal);
            }
            else if (deal.Outcome == DealOutcome.Lost && deal.CloseDate is { } close && close >= start && close <= end)
            {
                lost++;
            }

            if (deal.IsOpenOn(end))
            {
                open++;
            }
        }

        return new DealFigures(
            won,
            lost,
            open,
            won + lost > 0 ? won / (double)(won + lost) : null,
            value,
            won > 0 ? Math.Round(value / won, 2) : null,
            won > 0 ? cycleDays / (double)won : null);
    }

    private static bool IsWonBetween(Deal deal, DateOnly start, DateOnly end) =>
        deal.Outcome == DealOutcome.Won && deal.CloseDate is { } close && close >= start && close <= end;
}
