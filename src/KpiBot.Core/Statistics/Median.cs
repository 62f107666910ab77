namespace KpiBot.Statistics;

/// <summary>Order statistics used by the robust estimators.</summary>
public static class Median
{
    /// <summary>The median of <paramref name="values"/> (mean of the two middle values for an even count).</summary>
    /// <exception cref="ArgumentException">When <paramref name="values"/> is empty.</exception>
    public static double Of(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            throw new ArgumentException("The median of an empty list is not defined; pass at least one value.", nameof(values));
        }

        var sorted = values.ToArray();
        return OfInPlace(sorted);
    }

    /// <summary>The median of <paramref name="buffer"/>, sorting it in place (no allocation).</summary>
    internal static double OfInPlace(Span<double> buffer)
    {
        buffer.Sort();
        var middle = buffer.Length / 2;
        return buffer.Length % 2 == 1 ? buffer[middle] : (buffer[middle - 1] + buffer[middle]) / 2.0;
    }
}
