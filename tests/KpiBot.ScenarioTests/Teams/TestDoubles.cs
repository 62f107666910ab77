using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using KpiBot.Channels;
using KpiBot.Conversation;
using KpiBot.Domain;
using KpiBot.Rendering;
using KpiBot.Replies;
using KpiBot.Storage;

namespace KpiBot.ScenarioTests.Teams;

/// <summary>
/// Wraps the real conversation engine (when the host has one) and records what the Teams adapter
/// handed it. Without a real engine it answers "Got: …" so adapter tests still see a reply.
/// </summary>
internal sealed class RecordingBot : IBot
{
    private readonly IBot? _inner;

    public RecordingBot(IBot? inner) => _inner = inner;

    public ConcurrentQueue<IncomingMessage> Received { get; } = new();

    /// <summary>Each handled message with the number of replies the engine gave (recorded before they are sent).</summary>
    public ConcurrentQueue<(IncomingMessage Message, int Replies)> Handled { get; } = new();

    public bool HasRealEngine => _inner is not null;

    public async Task<BotResponse> HandleAsync(IncomingMessage message, CancellationToken cancellationToken)
    {
        Received.Enqueue(message);
        var response = await AnswerAsync(message, cancellationToken);
        Handled.Enqueue((message, response.Replies.Count));
        return response;
    }

    private async Task<BotResponse> AnswerAsync(IncomingMessage message, CancellationToken cancellationToken)
    {
        if (_inner is not null)
        {
            return await _inner.HandleAsync(message, cancellationToken);
        }

        var what = message.Form is { } form ? $"form {form.FormId} ({string.Join(", ", form.Values.Select(v => $"{v.Key}={v.Value}"))})" : message.Text;
        return BotResponse.Of(new Reply($"Got: {what}", [new Paragraph($"Got: {what}"), new Actions([new ReplyAction("My stats", "my stats")])]));
    }
}

/// <summary>A minimal Adaptive Card 1.5 renderer used only until the real renderer is in the host.</summary>
internal sealed class MinimalCardRenderer : IAdaptiveCardRenderer
{
    public JsonObject Render(Reply reply, AdaptiveCardOptions options)
    {
        var body = new JsonArray();
        var actions = new JsonArray();
        foreach (var block in reply.Blocks)
        {
            switch (block)
            {
                case Heading h:
                    body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = h.Text, ["weight"] = "Bolder", ["size"] = "Medium", ["wrap"] = true });
                    break;
                case Paragraph p:
                    body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = p.Text, ["wrap"] = true });
                    break;
                case Actions a:
                    foreach (var item in a.Items)
                    {
                        actions.Add(new JsonObject
                        {
                            ["type"] = "Action.Execute",
                            ["title"] = item.Title,
                            ["verb"] = "command",
                            ["data"] = new JsonObject { ["command"] = item.Command },
                            ["fallback"] = new JsonObject { ["type"] = "Action.Submit", ["title"] = item.Title, ["data"] = new JsonObject { ["command"] = item.Command } },
                        });
                    }

                    break;
            }
        }

        var card = new JsonObject
        {
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["type"] = "AdaptiveCard",
            ["version"] = "1.5",
            ["body"] = body,
        };
        if (actions.Count > 0)
        {
            card["actions"] = actions;
        }

        return card;
    }
}

/// <summary>An in-memory conversation directory, used only until the LiteDB one is in the host.</summary>
internal sealed class InMemoryConversationDirectory : IConversationDirectory
{
    private readonly ConcurrentDictionary<string, ConversationAddress> _addresses = new(StringComparer.Ordinal);

    public void Save(ConversationAddress address) => _addresses[address.Key] = address with { Active = true };

    public ConversationAddress? Find(string key) => _addresses.GetValueOrDefault(key);

    public ConversationAddress? FindPersonal(Platform platform, string workspaceId, string userId) =>
        _addresses.Values.FirstOrDefault(a => a.Platform == platform && a.WorkspaceId == workspaceId && a.Kind == ConversationKind.Personal && a.UserId == userId);

    public IReadOnlyList<ConversationAddress> List(string workspaceId) => [.. _addresses.Values.Where(a => a.WorkspaceId == workspaceId)];

    public void MarkInactive(string key, string reason, DateTimeOffset at)
    {
        if (_addresses.TryGetValue(key, out var address))
        {
            _addresses[key] = address with { Active = false, UpdatedAt = at };
        }
    }
}

/// <summary>
/// An in-memory store with just what the Teams adapter touches, used only until the LiteDB store is in
/// the host. Queries the adapter never makes throw, so a test relying on them fails loudly.
/// </summary>
internal sealed class InMemoryKpiStore : IKpiStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Workspace> _workspaces = [];
    private readonly Dictionary<string, Team> _teams = [];
    private readonly Dictionary<string, Person> _people = [];
    private readonly List<DailyEntry> _entries = [];
    private readonly Dictionary<string, ChangeRecord> _changes = [];
    private readonly HashSet<string> _inbound = [];

    public Workspace? FindWorkspace(string workspaceId)
    {
        lock (_gate)
        {
            return _workspaces.GetValueOrDefault(workspaceId);
        }
    }

    public Workspace EnsureWorkspace(string workspaceId, Platform platform, string name, DateTimeOffset at)
    {
        lock (_gate)
        {
            if (!_workspaces.TryGetValue(workspaceId, out var workspace))
            {
                workspace = new Workspace(workspaceId, platform, name, at);
                _workspaces[workspaceId] = workspace;
                var team = Defaults.NewTeam("default", workspaceId, name, at);
                _teams[$"{workspaceId}/{team.Id}"] = team;
            }

            return workspace;
        }
    }

    public IReadOnlyList<Team> ListTeams(string workspaceId)
    {
        lock (_gate)
        {
            return [.. _teams.Values.Where(t => t.WorkspaceId == workspaceId)];
        }
    }

    public Team? FindTeam(string workspaceId, string teamId)
    {
        lock (_gate)
        {
            return _teams.GetValueOrDefault($"{workspaceId}/{teamId}");
        }
    }

    public Person? FindPerson(string workspaceId, string personId)
    {
        lock (_gate)
        {
            return _people.Values.FirstOrDefault(p => p.WorkspaceId == workspaceId && p.Id == personId);
        }
    }

    public Person? FindPersonByPlatformUser(string workspaceId, string platformUserId)
    {
        lock (_gate)
        {
            return _people.Values.FirstOrDefault(p => p.WorkspaceId == workspaceId && p.PlatformUserId == platformUserId);
        }
    }

    public IReadOnlyList<Person> ListPeople(string workspaceId, string? teamId = null)
    {
        lock (_gate)
        {
            return [.. _people.Values.Where(p => p.WorkspaceId == workspaceId && (teamId is null || p.TeamId == teamId)).OrderBy(p => p.DisplayName, StringComparer.Ordinal)];
        }
    }

    public IReadOnlyList<DailyEntry> GetEntries(string workspaceId, IReadOnlyCollection<string>? personIds, DateOnly from, DateOnly to)
    {
        lock (_gate)
        {
            return [.. _entries.Where(e => e.WorkspaceId == workspaceId && (personIds is null || personIds.Contains(e.PersonId)) && e.Date >= from && e.Date <= to)];
        }
    }

    public ApplyResult Apply(ChangeSet change)
    {
        lock (_gate)
        {
            var key = $"{change.WorkspaceId}/{change.SourceId}";
            if (_changes.TryGetValue(key, out var existing))
            {
                return new ApplyResult(existing, Duplicate: true);
            }

            var record = new ChangeRecord($"change-{_changes.Count + 1}", change.WorkspaceId, change.AuthorId, change.SourceId, change.Summary, change.At, false, null);
            _changes[key] = record;
            foreach (var person in change.UpsertPeople)
            {
                _people[$"{person.WorkspaceId}/{person.Id}"] = person;
            }

            foreach (var team in change.UpsertTeams)
            {
                _teams[$"{team.WorkspaceId}/{team.Id}"] = team;
            }

            _entries.AddRange(change.AddEntries.Select(e => e with { ChangeId = record.Id }));
            return new ApplyResult(record, Duplicate: false);
        }
    }

    public bool TryMarkInboundProcessed(string key, DateTimeOffset at)
    {
        lock (_gate)
        {
            return _inbound.Add(key);
        }
    }

    public IReadOnlyList<ChangeRecord> Audit(string workspaceId, int limit = 100)
    {
        lock (_gate)
        {
            return [.. _changes.Values.Where(c => c.WorkspaceId == workspaceId).Reverse().Take(limit)];
        }
    }

    public IReadOnlyList<Deal> GetDeals(string workspaceId, IReadOnlyCollection<string>? ownerIds, DateOnly? closedOnOrAfter = null) => [];

    public Deal? FindDeal(string workspaceId, string dealId) => null;

    public IReadOnlyList<Deal> FindOpenDealsByName(string workspaceId, string ownerId, string name) => [];

    public ChangeRecord? LastUndoable(string workspaceId, string authorId) => throw new NotSupportedException("not needed by the Teams adapter");

    public ChangeRecord? Undo(string workspaceId, string changeId, DateTimeOffset at) => throw new NotSupportedException("not needed by the Teams adapter");

    public BulkResult UpsertDealsByExternalId(string workspaceId, string authorId, string sourceId, string summary, IReadOnlyList<Deal> deals, IReadOnlyList<Person> newPeople, DateTimeOffset at) =>
        throw new NotSupportedException("not needed by the Teams adapter");
}
