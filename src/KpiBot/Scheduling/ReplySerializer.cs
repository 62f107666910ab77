using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using KpiBot.Replies;

namespace KpiBot.Scheduling;

/// <summary>
/// Stores a neutral <see cref="Reply"/> as JSON in the outbox so the message that is sent after a restart is
/// exactly the one that was recorded. The block hierarchy is made polymorphic here (a <c>"block"</c>
/// discriminator) instead of on the shared records, so the reply contract stays free of storage concerns.
/// </summary>
public static class ReplySerializer
{
    private static readonly JsonSerializerOptions Options = new()
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { AddBlockTypes } },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The block types a stored reply may contain; a new block type must be listed here.</summary>
    private static readonly Type[] BlockTypes = typeof(ReplyBlock).Assembly.GetTypes()
        .Where(t => t.IsSealed && t.IsSubclassOf(typeof(ReplyBlock)))
        .OrderBy(t => t.Name, StringComparer.Ordinal)
        .ToArray();

    /// <summary>Serializes a reply.</summary>
    public static string Serialize(Reply reply) => JsonSerializer.Serialize(reply, Options);

    /// <summary>Reads a reply written by <see cref="Serialize"/>.</summary>
    public static Reply Deserialize(string json) =>
        JsonSerializer.Deserialize<Reply>(json, Options) ?? throw new JsonException("A stored outbox reply was empty.");

    private static void AddBlockTypes(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Type != typeof(ReplyBlock))
        {
            return;
        }
        var polymorphism = new JsonPolymorphismOptions { TypeDiscriminatorPropertyName = "block" };
        foreach (var type in BlockTypes)
        {
            polymorphism.DerivedTypes.Add(new JsonDerivedType(type, type.Name));
        }
        typeInfo.PolymorphismOptions = polymorphism;
    }
}
