using System.Globalization;
using CsvHelper;

namespace KpiBot.Import;

/// <summary>Which CSV layout a deals file has.</summary>
public enum CrmFormat
{
    /// <summary>Decide from the header: the Maven CRM columns → <see cref="Maven"/>, anything else → <see cref="Generic"/>.</summary>
    Auto,
    /// <summary>The Maven Analytics "CRM Sales Opportunities" export (sales_pipeline.csv).</summary>
    Maven,
    /// <summary>Any CSV, its columns named by a mapping (<c>--map id=Opp Id,owner=Rep,…</c>).</summary>
    Generic,
}

/// <summary>The fields KpiBot reads from a deals file, and how each format names its columns.</summary>
public static class CrmFields
{
    /// <summary>The CRM's id of the deal: re-imports match on it.</summary>
    public const string Id = "id";
    /// <summary>The salesperson's name as the CRM writes it.</summary>
    public const string Owner = "owner";
    /// <summary>Stage or outcome (Won, Lost, or a pipeline stage).</summary>
    public const string Stage = "stage";
    /// <summary>When the deal started (ISO date).</summary>
    public const string Start = "start";
    /// <summary>When it closed (ISO date), for won and lost deals.</summary>
    public const string Close = "close";
    /// <summary>The amount (won value; for open deals the expected value).</summary>
    public const string Value = "value";
    /// <summary>Deal name (optional; else account + product).</summary>
    public const string Name = "name";
    /// <summary>Account / customer (optional).</summary>
    public const string Account = "account";
    /// <summary>Product (optional).</summary>
    public const string Product = "product";
    /// <summary>Expected close date of an open deal (optional).</summary>
    public const string ExpectedClose = "expected_close";
    /// <summary>ISO 4217 currency per row (optional).</summary>
    public const string Currency = "currency";

    /// <summary>Fields every file must have.</summary>
    public static IReadOnlyList<string> Required { get; } = [Id, Owner, Stage, Start];

    /// <summary>Every field KpiBot understands.</summary>
    public static IReadOnlyList<string> All { get; } = [Id, Owner, Stage, Start, Close, Value, Name, Account, Product, ExpectedClose, Currency];

    /// <summary>The Maven export's column for each field.</summary>
    public static IReadOnlyDictionary<string, string> Maven { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Id] = "opportunity_id",
        [Owner] = "sales_agent",
        [Product] = "product",
        [Account] = "account",
        [Stage] = "deal_stage",
        [Start] = "engage_date",
        [Close] = "close_date",
        [Value] = "close_value",
    };
}

/// <summary>A deals file that cannot be imported as a whole (missing column, not a CSV, empty). Nothing was stored.</summary>
public sealed class ImportFileException : Exception
{
    /// <summary>Creates the exception with a message saying what was wrong and what is expected.</summary>
    public ImportFileException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception wrapping the parser's error.</summary>
    public ImportFileException(string message, Exception inner) : base(message, inner)
    {
    }
}

/// <summary>One data row of a deals file: its 1-based line in the file and the mapped fields (missing → null).</summary>
public sealed record CrmRow(int Line, IReadOnlyDictionary<string, string?> Fields)
{
    /// <summary>The trimmed value of a field, or null when the column is absent or the cell empty.</summary>
    public string? this[string field] => Fields.TryGetValue(field, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
}

/// <summary>The rows of a deals file with the format that was used.</summary>
public sealed record CrmTable(CrmFormat Format, IReadOnlyList<string> Header, IReadOnlyList<CrmRow> Rows);

/// <summary>Reads deals CSV files with CsvHelper: CRLF or LF, comma or semicolon, quoted fields.</summary>
public static class CrmCsv
{
    /// <summary>
    /// Parses a <c>--map</c> value: <c>id=Opp Id,owner=Rep</c> (field=column pairs, comma separated).
    /// Unknown fields are refused with the list of fields KpiBot reads.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ParseMap(string? map)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(map))
        {
            return result;
        }
        foreach (var pair in map.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var at = pair.IndexOf('=', StringComparison.Ordinal);
            if (at <= 0 || at == pair.Length - 1)
            {
                throw new ImportFileException($"--map entry '{pair}' is not field=column; write for example --map \"id=Opp Id,owner=Rep,stage=Status\".");
            }
            var field = pair[..at].Trim().ToLowerInvariant();
            if (!CrmFields.All.Contains(field))
            {
                throw new ImportFileException($"--map names the field '{field}', which KpiBot does not read. Fields: {string.Join(", ", CrmFields.All)}.");
            }
            result[field] = pair[(at + 1)..].Trim();
        }
        return result;
    }

    /// <summary>Reads <paramref name="path"/>; see <see cref="Read(TextReader, string, CrmFormat, IReadOnlyDictionary{string, string})"/>.</summary>
    public static CrmTable Read(string path, CrmFormat format, IReadOnlyDictionary<string, string> map)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new ImportFileException($"The file '{path}' does not exist; give the path of a CSV export such as ../shared/data/maven-crm/sales_pipeline.csv.");
        }
        using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        return Read(reader, Path.GetFileName(path), format, map);
    }

    /// <summary>
    /// Reads every row, resolving each field to a column: Maven's fixed columns, the caller's
    /// <paramref name="map"/>, or (generic, unmapped) a column with the field's own name. Header names
    /// match case-insensitively. A missing required column is an <see cref="ImportFileException"/>
    /// naming it and the columns the file has.
    /// </summary>
    public static CrmTable Read(TextReader reader, string fileName, CrmFormat format, IReadOnlyDictionary<string, string> map)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(map);
        var (header, records) = ReadRecords(reader, fileName);
        if (header.Length == 0 || header.All(string.IsNullOrWhiteSpace))
        {
            throw new ImportFileException($"{fileName} is empty; expected a header row (for a Maven export: {string.Join(",", CrmFields.Maven.Values)}).");
        }
        var chosen = format == CrmFormat.Auto ? (LooksLikeMaven(header) && map.Count == 0 ? CrmFormat.Maven : CrmFormat.Generic) : format;
        var columns = ResolveColumns(header, chosen, map, fileName);
        var rows = new List<CrmRow>(records.Count);
        foreach (var (line, values) in records)
        {
            var fields = new Dictionary<string, string?>(columns.Count, StringComparer.Ordinal);
            foreach (var (field, index) in columns)
            {
                fields[field] = index < values.Length ? values[index] : null;
            }
            rows.Add(new CrmRow(line, fields));
        }
        return new CrmTable(chosen, header, rows);
    }

    /// <summary>
    /// The header and every record with its 1-based line number. The separator (comma, semicolon, tab)
    /// is detected; CRLF and LF both end a record; malformed quoting is an <see cref="ImportFileException"/>
    /// naming the line rather than a silently mangled row.
    /// </summary>
    public static (string[] Header, List<(int Line, string[] Values)> Records) ReadRecords(TextReader reader, string fileName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var options = new CsvReaderOptions
        {
            TrimWhitespace = true,
            TrackLineNumbers = true,
            SkipEmptyLines = true,
            MalformedData = CsvMalformedDataHandling.Throw,
            FormatProvider = CultureInfo.InvariantCulture,
        };
        try
        {
            using var csv = CsvReader.Create(reader, options, leaveOpen: true);
            var header = csv.Headers.Select(h => (h ?? "").Trim()).ToArray();
            var records = new List<(int, string[])>();
            while (csv.Read())
            {
                var values = new string[csv.FieldCount];
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = csv.GetString(i) ?? "";
                }
                records.Add(((int)csv.LineNumber, values));
            }
            return (header, records);
        }
        catch (CsvFormatException e)
        {
            throw new ImportFileException($"{fileName} is not a readable CSV file at line {e.LineNumber}: {FirstLine(e.Message)} Save it as CSV (comma or semicolon separated, UTF-8).", e);
        }
    }

    /// <summary>
    /// True when the header is a Maven sales_pipeline.csv: it has Maven's id column <c>opportunity_id</c>.
    /// (Not "every Maven column": a Maven file that lost a column should be told which one, not be read as
    /// a generic file missing four.)
    /// </summary>
    public static bool LooksLikeMaven(IReadOnlyList<string> header) =>
        header.Contains(CrmFields.Maven[CrmFields.Id], StringComparer.OrdinalIgnoreCase);

    private static Dictionary<string, int> ResolveColumns(string[] header, CrmFormat format, IReadOnlyDictionary<string, string> map, string fileName)
    {
        var names = format == CrmFormat.Maven
            ? new Dictionary<string, string>(CrmFields.Maven, StringComparer.Ordinal)
            : CrmFields.All.ToDictionary(f => f, f => f, StringComparer.Ordinal);
        foreach (var (field, column) in map)
        {
            names[field] = column;
        }
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var (field, column) in names)
        {
            var index = Array.FindIndex(header, h => string.Equals(h?.Trim(), column, StringComparison.OrdinalIgnoreCase));
            if (index >= 0)
            {
                result[field] = index;
            }
            else if (CrmFields.Required.Contains(field) || map.ContainsKey(field))
            {
                missing.Add(map.ContainsKey(field) || format == CrmFormat.Maven ? $"'{column}' (the {field} field)" : $"'{column}'");
            }
        }
        if (missing.Count > 0)
        {
            var hint = format == CrmFormat.Maven
                ? $"A Maven export has the columns {string.Join(",", CrmFields.Maven.Values)}."
                : $"Name the columns with --map, for example --map \"id=Opp Id,owner=Rep,stage=Status,start=Created,close=Closed,value=Amount\" (fields: {string.Join(", ", CrmFields.All)}; required: {string.Join(", ", CrmFields.Required)}).";
            throw new ImportFileException($"{fileName} has no column {string.Join(", ", missing)}. Its columns are: {string.Join(", ", header)}. {hint}");
        }
        return result;
    }

    private static string FirstLine(string message)
    {
        var line = message.Split('\n', 2)[0].Trim();
        return line.EndsWith('.') ? line : line + ".";
    }
}
