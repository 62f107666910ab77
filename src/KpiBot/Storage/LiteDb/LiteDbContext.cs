using LiteDB;
using LiteDB.Engine;

namespace KpiBot.Storage.LiteDb;

/// <summary>
/// Owns the one <see cref="LiteDatabase"/> of the process. Every LiteDB-backed store of every area
/// (KPI data, conversation directory, outbox, schedules) uses its own collections in this database,
/// so a single file holds the workspace and a write is one local transaction.
/// </summary>
/// <remarks>
/// <para><b>What LiteDB 5.0.21 does on commit, and why KpiBot opens the files itself.</b>
/// LiteDB 5 is write-ahead: a commit appends the transaction's dirty pages to the log file
/// (<c>kpibot-log.db</c> beside <c>kpibot.db</c>) and confirms it there; the data file is only
/// rewritten by a checkpoint (every 1,000 log pages, on <c>Checkpoint()</c> and on dispose). In 5.0.21
/// the log write happens on the committing thread (earlier 5.0.x versions queued it to a background
/// writer thread, so a commit could return before its pages left the process — LiteDB issues #1489,
/// #2127; that queue was removed in LiteDB PR #2515). But the commit ends with a plain
/// <c>Stream.Flush()</c>, which for a <see cref="FileStream"/> only hands the bytes to the operating
/// system: a process crash keeps them, a power loss or OS crash can lose them (LiteDB issue #2818
/// "commits never fsync the log file"; v4's <c>Flush=true</c> option is gone in v5).</para>
/// <para>KpiBot promises "an acknowledged entry is on disk", so it gives LiteDB its own data and log
/// streams (<see cref="EngineSettings.DataStream"/>/<see cref="EngineSettings.LogStream"/>) wrapped in
/// <see cref="DurableFileStream"/>, whose <c>Flush()</c> is <c>FileStream.Flush(true)</c> (fsync /
/// FlushFileBuffers). Every commit therefore returns only after its log pages are on the device; on the
/// next open LiteDB replays confirmed transactions from the log and drops unconfirmed ones. The cost is
/// one device sync per write transaction (about a millisecond on an SSD), which is why bulk paths
/// (CRM import) write many documents in one transaction.</para>
/// </remarks>
public sealed class LiteDbContext : IDisposable
{
    private readonly Stream? _dataStream;
    private readonly Stream? _logStream;

    /// <summary>Opens (or creates) the database file at <paramref name="path"/>.</summary>
    public LiteDbContext(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        Path = full;
        LogPath = LogPathOf(full);
        // One process owns the files (LiteDB "direct" mode); LiteDB 5 is thread-safe inside it.
        // FileShare.Read lets backups and tests copy the files while the bot runs.
        _dataStream = DurableFileStream.Open(full);
        _logStream = DurableFileStream.Open(LogPath);
        try
        {
            var engine = new LiteEngine(new EngineSettings { DataStream = _dataStream, LogStream = _logStream, Collation = OrdinalCollation });
            Database = new LiteDatabase(engine, KpiBsonMapper.Create(), disposeOnClose: true)
            {
                CheckpointSize = CheckpointPages,
            };
        }
        catch
        {
            _dataStream.Dispose();
            _logStream.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Log pages after which a commit copies the log into the data file (LiteDB's default is 1,000). The copy runs
    /// inside a commit, under the write lock, so every write queued behind it waits: with 1,000 pages a checkpoint
    /// took ~17 ms on average (up to 75 ms) every ~30 commits, which was the whole p99 of logging at 200 requests/s;
    /// with 200 pages each takes a few ms and the total time spent checkpointing fell to a quarter (measured with the
    /// load driver, docs/performance.md "Chat API"). 10,000 pages was worse: fewer pauses of ~125 ms each.
    /// </summary>
    public const int CheckpointPages = 200;

    /// <summary>Wraps an existing database (tests use an in-memory stream).</summary>
    public LiteDbContext(LiteDatabase database) => Database = database ?? throw new ArgumentNullException(nameof(database));

    /// <summary>An in-memory database: nothing survives the process (tests, demos).</summary>
    public static LiteDbContext InMemory() =>
        new(new LiteDatabase(new LiteEngine(new EngineSettings { DataStream = new MemoryStream(), Collation = OrdinalCollation }), KpiBsonMapper.Create(), disposeOnClose: true));

    /// <summary>
    /// Byte-wise (ordinal) string order for every index. LiteDB's default collation is culture-aware and
    /// case-insensitive, which ignores control characters: the composite keys of the KPI stores are joined
    /// with U+001F, so a culture compare would merge "ann␟…" and "anna…" ranges. Ids are case-sensitive
    /// too (Slack user ids, Teams object ids). The collation is fixed when a file is created.
    /// </summary>
    public static Collation OrdinalCollation { get; } = new(System.Globalization.CultureInfo.InvariantCulture.LCID, System.Globalization.CompareOptions.Ordinal);

    /// <summary>The database.</summary>
    public LiteDatabase Database { get; }

    /// <summary>Full path of the data file, or null for an in-memory database.</summary>
    public string? Path { get; }

    /// <summary>Full path of the write-ahead log file, or null for an in-memory database.</summary>
    public string? LogPath { get; }

    /// <summary>The log file LiteDB keeps beside <paramref name="dataPath"/> (<c>x.db</c> → <c>x-log.db</c>).</summary>
    public static string LogPathOf(string dataPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataPath);
        var directory = System.IO.Path.GetDirectoryName(dataPath) ?? "";
        var name = System.IO.Path.GetFileNameWithoutExtension(dataPath);
        var extension = System.IO.Path.GetExtension(dataPath);
        return System.IO.Path.Combine(directory, name + "-log" + extension);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // Disposing the database checkpoints the log into the data file and empties the log.
        Database.Dispose();
        _dataStream?.Dispose();
        _logStream?.Dispose();
    }
}

/// <summary>
/// A file stream whose <see cref="Flush()"/> goes through the OS cache to the device
/// (<see cref="FileStream.Flush(bool)"/> with <c>true</c>). LiteDB calls <c>Flush()</c> at the end of
/// every commit and checkpoint, so this turns "handed to the OS" into "on disk".
/// </summary>
internal sealed class DurableFileStream : FileStream
{
    private DurableFileStream(string path)
        : base(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 8192, FileOptions.RandomAccess)
    {
    }

    /// <summary>Opens or creates the file.</summary>
    public static DurableFileStream Open(string path) => new(path);

    /// <inheritdoc />
    public override void Flush() => Flush(flushToDisk: true);
}
