using System.Text.Json.Nodes;
using Json.Schema;

namespace KpiBot.ScenarioTests.Slack;

/// <summary>The Slack app manifests are valid and ask for exactly what KpiBot uses.</summary>
public sealed class SlackManifestTests
{
    private static readonly JsonSchema Schema = JsonSchema.FromText(File.ReadAllText(SlackPayloads.FindShared("schemas/slack-manifest/manifest.schema.2.0.0.json")));

    private static JsonObject Manifest(string file) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(SlackPayloads.RepoRoot(), "manifest", "slack", file)))!.AsObject();

    [Theory]
    [InlineData("manifest.json")]
    [InlineData("manifest.socket-mode.json")]
    public void The_manifest_is_valid_against_slacks_schema(string file)
    {
        var result = Schema.Evaluate(Manifest(file), new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });

        var errors = (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"));
        Assert.True(result.IsValid, string.Join("\n", errors));
    }

    [Fact]
    public void A_manifest_with_a_mistake_is_caught_by_the_schema()
    {
        var broken = Manifest("manifest.json");
        broken["features"]!["slash_commands"]![0]!["command"] = "kpi"; // no leading slash
        Assert.False(Schema.Evaluate(broken).IsValid);
    }

    [Theory]
    [InlineData("manifest.json")]
    [InlineData("manifest.socket-mode.json")]
    public void The_app_has_the_kpi_command_the_three_events_interactivity_the_app_home_and_the_least_scopes(string file)
    {
        var manifest = Manifest(file);

        Assert.Equal("/kpi", (string?)manifest["features"]!["slash_commands"]![0]!["command"]);
        Assert.Equal(new[] { "app_home_opened", "app_mention", "message.im" },
            manifest["settings"]!["event_subscriptions"]!["bot_events"]!.AsArray().Select(e => (string)e!).Order(StringComparer.Ordinal).ToArray());
        Assert.True((bool?)manifest["settings"]!["interactivity"]!["is_enabled"]);
        Assert.True((bool?)manifest["features"]!["app_home"]!["home_tab_enabled"]);
        Assert.True((bool?)manifest["features"]!["app_home"]!["messages_tab_enabled"]);
        Assert.Equal(new[] { "app_mentions:read", "chat:write", "commands", "im:history", "im:write", "users:read" },
            manifest["oauth_config"]!["scopes"]!["bot"]!.AsArray().Select(s => (string)s!).Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void The_http_manifest_points_at_kpibots_three_endpoints_and_the_socket_mode_one_needs_no_url()
    {
        var http = Manifest("manifest.json");
        Assert.False((bool?)http["settings"]!["socket_mode_enabled"]);
        Assert.EndsWith("/api/slack/commands", (string?)http["features"]!["slash_commands"]![0]!["url"], StringComparison.Ordinal);
        Assert.EndsWith("/api/slack/events", (string?)http["settings"]!["event_subscriptions"]!["request_url"], StringComparison.Ordinal);
        Assert.EndsWith("/api/slack/interactions", (string?)http["settings"]!["interactivity"]!["request_url"], StringComparison.Ordinal);

        var socket = Manifest("manifest.socket-mode.json");
        Assert.True((bool?)socket["settings"]!["socket_mode_enabled"]);
        Assert.Null(socket["settings"]!["event_subscriptions"]!["request_url"]);
        Assert.Null(socket["settings"]!["interactivity"]!["request_url"]);
    }
}
