using KpiBot.Channels;
using KpiBot.Conversation;
using KpiBot.Domain;
using LiteDB;

namespace KpiBot.Storage.LiteDb;

/// <summary>
/// The <see cref="IConversationDirectory"/> in the shared LiteDB file (collection <c>conversations</c>),
/// so nudges and digests find the channels and personal chats the bot has seen, after a restart too.
/// </summary>
public sealed class LiteDbConversationDirectory : IConversationDirectory
{
    internal const string Collection = "conversations";

    private readonly LiteDatabase _db;

    /// <summary>Creates the directory on the process's database and makes sure its indexes exist.</summary>
    public LiteDbConversationDirectory(LiteDbContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _db = context.Database;
        Docs.EnsureIndex(x => x.WorkspaceId);
        Docs.EnsureIndex(x => x.PersonalKey);
    }

    private ILiteCollection<ConversationDoc> Docs => _db.GetCollection<ConversationDoc>(Collection);

    /// <inheritdoc />
    public void Save(ConversationAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentException.ThrowIfNullOrWhiteSpace(address.Key, nameof(address));
        ArgumentException.ThrowIfNullOrWhiteSpace(address.WorkspaceId, nameof(address));
        ArgumentException.ThrowIfNullOrWhiteSpace(address.ConversationId, nameof(address));
        // Saving means the platform just showed us this conversation, so it is usable again.
        Docs.Upsert(ConversationDoc.From(address with { Active = true }, inactiveReason: null));
    }

    /// <inheritdoc />
    public ConversationAddress? Find(string key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        return Docs.FindById(key)?.ToDomain();
    }

    /// <inheritdoc />
    public ConversationAddress? FindPersonal(Platform platform, string workspaceId, string userId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workspaceId);
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        var key = ConversationDoc.PersonalKeyOf(platform, workspaceId, userId);
        // Prefer an active address, newest first, when a user has more than one personal chat on record.
        return Docs.Find(x => x.PersonalKey == key)
            .OrderByDescending(d => d.Active)
            .ThenByDescending(d => d.UpdatedAt)
            .FirstOrDefault()?
            .ToDomain();
    }

    /// <inheritdoc />
    public IReadOnlyList<ConversationAddress> List(string workspaceId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workspaceId);
        return Docs.Find(x => x.WorkspaceId == workspaceId)
            .OrderBy(d => d.Key, StringComparer.Ordinal)
            .Select(d => d.ToDomain())
            .ToList();
    }

    /// <inheritdoc />
    public void MarkInactive(string key, string reason, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        var doc = Docs.FindById(key);
        if (doc is null)
        {
            return;
        }
        doc.Active = false;
        doc.InactiveReason = reason;
        doc.UpdatedAt = DocKeys.Ticks(at);
        Docs.Update(doc);
    }

    /// <summary>Why an address was marked inactive (for the admin's "where do nudges go" view), or null.</summary>
    public string? InactiveReason(string key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        return Docs.FindById(key)?.InactiveReason;
    }
}

/// <summary>A stored <see cref="ConversationAddress"/>.</summary>
internal sealed class ConversationDoc
{
    [BsonId] public string Key { get; set; } = "";
    public Platform Platform { get; set; }
    public string WorkspaceId { get; set; } = "";
    public string ConversationId { get; set; } = "";
    public ConversationKind Kind { get; set; }
    public string? Name { get; set; }
    public string? ServiceUrl { get; set; }
    public string? UserId { get; set; }

    /// <summary>platform ␟ workspace ␟ user for personal conversations (indexed), else null.</summary>
    public string? PersonalKey { get; set; }
    public Dictionary<string, string> PlatformData { get; set; } = [];
    public bool Active { get; set; }
    public string? InactiveReason { get; set; }
    public long UpdatedAt { get; set; }

    public static string PersonalKeyOf(Platform platform, string workspaceId, string userId) => DocKeys.Of(platform.ToString(), workspaceId, userId);

    public ConversationAddress ToDomain() => new(Key, Platform, WorkspaceId, ConversationId, Kind, Name, ServiceUrl, UserId,
        new Dictionary<string, string>(PlatformData, StringComparer.Ordinal), Active, DocKeys.At(UpdatedAt));

    public static ConversationDoc From(ConversationAddress a, string? inactiveReason) => new()
    {
        Key = a.Key,
        Platform = a.Platform,
        WorkspaceId = a.WorkspaceId,
        ConversationId = a.ConversationId,
        Kind = a.Kind,
        Name = a.Name,
        ServiceUrl = a.ServiceUrl,
        UserId = a.UserId,
        PersonalKey = a.Kind == ConversationKind.Personal && a.UserId is not null ? PersonalKeyOf(a.Platform, a.WorkspaceId, a.UserId) : null,
        PlatformData = a.PlatformData.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
        Active = a.Active,
        InactiveReason = inactiveReason,
        UpdatedAt = DocKeys.Ticks(a.UpdatedAt),
    };
}
