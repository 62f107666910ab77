using System.Text.Json.Nodes;
using Json.Schema;

namespace KpiBot.ScenarioTests.Teams;

/// <summary>
/// Validates cards against the official Adaptive Cards 1.5 schema. Teams' chart elements are not in
/// that schema, so each <c>Chart.*</c> element must carry a <c>fallback</c>, which is validated in its place
/// (that is what a client without native charts renders).
/// </summary>
internal static class AdaptiveCardSchema
{
    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromText(File.ReadAllText(Path.Combine(TeamsFixtures.Folder(), "Schemas", "adaptive-card.1.5.0.json"))));

    /// <summary>Asserts the card is valid AC 1.5 (charts replaced by their fallbacks) and under the Teams budget.</summary>
    public static void AssertValid(JsonNode? card)
    {
        Assert.NotNull(card);
        Assert.Equal("AdaptiveCard", card!["type"]?.GetValue<string>());
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(card.ToJsonString()) <= 28 * 1024, "the card is over 28 KB");
        var withoutCharts = ReplaceCharts(card.DeepClone());
        var result = Schema.Value.Evaluate(withoutCharts, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (!result.IsValid)
        {
            var errors = result.Details.Where(d => d.HasErrors).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")).Take(10);
            Assert.Fail("card is not valid Adaptive Cards 1.5: " + string.Join("; ", errors) + "\n" + card.ToJsonString());
        }
    }

    private static JsonNode ReplaceCharts(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj when obj["type"]?.GetValueKind() == System.Text.Json.JsonValueKind.String
                                     && obj["type"]!.GetValue<string>().StartsWith("Chart.", StringComparison.Ordinal):
                var fallback = obj["fallback"];
                Assert.True(fallback is JsonObject, $"chart element {obj["type"]} has no fallback element");
                return ReplaceCharts(fallback!.DeepClone());
            case JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).ToList())
                {
                    if (obj[name] is { } child)
                    {
                        obj[name] = ReplaceCharts(child.DeepClone());
                    }
                }

                return obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is { } item)
                    {
                        array[i] = ReplaceCharts(item.DeepClone());
                    }
                }

                return array;
            default:
                return node;
        }
    }
}
