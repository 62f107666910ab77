using LiteDB;

namespace KpiBot.Storage.LiteDb;

/// <summary>
/// Owns the one <see cref="LiteDatabase"/> of the process. Every LiteDB-backed store of every area
/// (KPI data, conversation directory, outbox, schedules) uses its own collections in this database,
/// so a single file holds the workspace and a write is one local transaction.
/// </summary>
public sealed class LiteDbContext : IDisposable
{
    /// <summary>Opens (or creates) the database file at <paramref name="path"/>.</summary>
    public LiteDbContext(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        // Direct mode: one process owns the file; LiteDB 5 is thread-safe inside it.
        Database = new LiteDatabase(new ConnectionString { Filename = full, Connection = ConnectionType.Direct });
    }

    /// <summary>Wraps an existing database (tests use an in-memory stream).</summary>
    public LiteDbContext(LiteDatabase database) => Database = database ?? throw new ArgumentNullException(nameof(database));

    /// <summary>The database.</summary>
    public LiteDatabase Database { get; }

    /// <inheritdoc />
    public void Dispose() => Database.Dispose();
}
