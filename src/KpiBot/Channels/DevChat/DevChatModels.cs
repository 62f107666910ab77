using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace KpiBot.Channels.DevChat;

/// <summary>Body of <c>POST /api/dev/chat</c>: who is typing, in which local workspace, and what.</summary>
/// <param name="Workspace">Local workspace name (becomes the workspace id <c>local:&lt;name&gt;</c>).</param>
/// <param name="UserId">The local user's id (stable per person on the page).</param>
/// <param name="UserName">Display name used on first contact and for name matching.</param>
/// <param name="Text">What was typed or the command of a clicked button.</param>
/// <param name="Form">A submitted form instead of text.</param>
/// <param name="MessageId">Optional idempotency key; the same id is handled once (a fresh one per request otherwise).</param>
/// <param name="TimeZone">Optional IANA time zone of the browser.</param>
public sealed record DevChatRequest(
    string? Workspace,
    string? UserId,
    string? UserName,
    string? Text,
    DevChatForm? Form,
    string? MessageId,
    string? TimeZone);

/// <summary>A submitted form: its id and the raw field values (strings, numbers or booleans).</summary>
/// <param name="FormId">The form's id from the reply.</param>
/// <param name="Values">Field id → value.</param>
public sealed record DevChatForm(string? FormId, Dictionary<string, JsonElement>? Values);

/// <summary>Response of <c>POST /api/dev/chat</c>: every reply in every format.</summary>
/// <param name="Replies">The replies, in order.</param>
public sealed record DevChatResponse(IReadOnlyList<DevChatReply> Replies);

/// <summary>One reply rendered for every platform, so the page can show (and tests can check) each of them.</summary>
/// <param name="Text">Plain-text rendering.</param>
/// <param name="AdaptiveCard">The Adaptive Card (without Teams-only chart elements, so any 1.5 renderer can draw it).</param>
/// <param name="SlackBlocks">The Block Kit blocks.</param>
/// <param name="Html">The HTML fragment the page shows.</param>
public sealed record DevChatReply(string Text, JsonObject AdaptiveCard, JsonArray SlackBlocks, string Html);

/// <summary>A 4xx/5xx body: what was wrong and what would work.</summary>
/// <param name="Error">The explanation.</param>
public sealed record DevChatError(string Error);

/// <summary>Source-generated JSON for the local chat API (camelCase, nulls omitted).</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowTrailingCommas = true,
    ReadCommentHandling = JsonCommentHandling.Skip)]
[JsonSerializable(typeof(DevChatRequest))]
[JsonSerializable(typeof(DevChatResponse))]
[JsonSerializable(typeof(DevChatError))]
public sealed partial class DevChatJsonContext : JsonSerializerContext;
