using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace KpiBot.ScenarioTests.Teams;

/// <summary>
/// The real Teams payloads (Fixtures/, copied from the shared fixtures with their SOURCES.md), unwrapped
/// from the recordings and pointed at the test Connector and bot.
/// </summary>
internal static class TeamsFixtures
{
    public static string Folder([CallerFilePath] string here = "") => Path.GetDirectoryName(here)!;

    /// <summary>The activity of a fixture file, with serviceUrl/recipient rewritten for the test host.</summary>
    public static JsonObject Activity(string file, string? id = null)
    {
        var node = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder(), "Fixtures", file)))!.AsObject();
        var activity = node["type"]?.GetValue<string>() == "request" ? node["body"]!.AsObject() : node;
        activity = activity.DeepClone().AsObject();
        activity["serviceUrl"] = TeamsTestHost.ServiceUrl;
        var recipient = activity["recipient"]?.AsObject();
        var oldBotId = recipient?["id"]?.GetValue<string>();
        if (recipient is not null)
        {
            recipient["id"] = TeamsTestHost.BotAccountId;
        }

        // Keep the fixture's mention and install semantics when the bot id changes.
        foreach (var entity in activity["entities"]?.AsArray() ?? [])
        {
            if (entity?["mentioned"]?["id"]?.GetValue<string>() == oldBotId && entity?["mentioned"] is JsonObject mentioned)
            {
                mentioned["id"] = TeamsTestHost.BotAccountId;
            }
        }

        foreach (var member in activity["membersAdded"]?.AsArray() ?? [])
        {
            if (member?["id"]?.GetValue<string>() == oldBotId && member is JsonObject m)
            {
                m["id"] = TeamsTestHost.BotAccountId;
            }
        }

        if (id is not null)
        {
            activity["id"] = id;
        }

        return activity;
    }

    /// <summary>The personal-chat message fixture with new text.</summary>
    public static JsonObject PersonalMessage(string text, string? id = null)
    {
        var activity = Activity("message_personal.recorded.json", id ?? Guid.NewGuid().ToString("N"));
        activity["text"] = text;
        return activity;
    }
}
