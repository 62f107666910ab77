using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;

namespace KpiBot.ScenarioTests.Slack;

/// <summary>One request KpiBot sent to Slack.</summary>
/// <param name="Method">The Web API method (<c>chat.postMessage</c>) or <c>response_url</c>.</param>
public sealed record SlackCall(string Method, Uri Uri, string? Authorization, string Body, DateTimeOffset At)
{
    /// <summary>The body as JSON (Web API JSON calls and response_url posts).</summary>
    public JsonObject Json => JsonNode.Parse(Body)!.AsObject();

    /// <summary>A form argument (users.info).</summary>
    public string? Form(string name) => QueryHelpers.ParseQuery(Body).TryGetValue(name, out var v) ? v.ToString() : null;
}

/// <summary>
/// A fake Slack: the primary handler of KpiBot's "slack" HttpClient. Records every call and answers like
/// Slack does (ok:true bodies shaped like the Web API samples), or with scripted answers for a method.
/// </summary>
public sealed class FakeSlackApi : HttpMessageHandler
{
    private readonly ConcurrentQueue<SlackCall> _calls = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Func<HttpResponseMessage>>> _scripted = new();

    /// <summary>The URL apps.connections.open hands out (Socket Mode tests set it).</summary>
    public string? SocketUrl { get; set; }

    /// <summary>The time zone users.info reports.</summary>
    public string UserTimeZone { get; set; } = "Europe/Stockholm";

    /// <summary>Every call so far, in order.</summary>
    public IReadOnlyList<SlackCall> Calls => [.. _calls];

    /// <summary>Calls of one method.</summary>
    public IReadOnlyList<SlackCall> CallsTo(string method) => [.. _calls.Where(c => c.Method == method)];

    /// <summary>Calls that post something a person sees (messages, ephemerals, response_url, views).</summary>
    public IReadOnlyList<SlackCall> VisibleCalls => [.. _calls.Where(c => c.Method is "chat.postMessage" or "chat.postEphemeral" or "chat.update" or "response_url" or "views.open" or "views.publish")];

    /// <summary>Answers the next call of <paramref name="method"/> with <paramref name="response"/> (then the default again).</summary>
    public void Script(string method, Func<HttpResponseMessage> response) =>
        _scripted.GetOrAdd(method, _ => new()).Enqueue(response);

    /// <summary>A JSON answer.</summary>
    public static HttpResponseMessage Json(string json, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    /// <summary>Waits until a call matching <paramref name="predicate"/> was made.</summary>
    public async Task<SlackCall> WaitForAsync(Func<SlackCall, bool> predicate, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (DateTime.UtcNow < deadline)
        {
            var hit = _calls.FirstOrDefault(predicate);
            if (hit is not null)
            {
                return hit;
            }
            await Task.Delay(20);
        }
        throw new TimeoutException("Slack was never called as expected. Calls: " + string.Join(", ", _calls.Select(c => c.Method)));
    }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        var method = request.RequestUri!.Host == "hooks.slack.com" ? "response_url" : request.RequestUri.Segments[^1];
        _calls.Enqueue(new SlackCall(method, request.RequestUri, request.Headers.Authorization?.ToString(), body, DateTimeOffset.UtcNow));
        if (_scripted.TryGetValue(method, out var queue) && queue.TryDequeue(out var scripted))
        {
            return scripted();
        }
        return method switch
        {
            "response_url" => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("ok") },
            "chat.postMessage" => Json($$$"""{"ok":true,"channel":"{{{JsonNode.Parse(body)?["channel"]}}}","ts":"1733300000.000100","message":{"text":"x"}}"""),
            "chat.postEphemeral" => Json("""{"ok":true,"message_ts":"1733300000.000200"}"""),
            "chat.update" => Json("""{"ok":true,"channel":"C1","ts":"1733300000.000100","text":"x"}"""),
            "views.open" or "views.publish" => Json("""{"ok":true,"view":{"id":"V0FAKE","type":"modal","hash":"1.a"}}"""),
            "conversations.open" => Json("""{"ok":true,"channel":{"id":"D0DMWITHBOT"}}"""),
            "users.info" => Json(new JsonObject
            {
                ["ok"] = true,
                ["user"] = new JsonObject
                {
                    ["id"] = QueryHelpers.ParseQuery(body)["user"].ToString(), ["name"] = "anna.b", ["real_name"] = "Anna Berg", ["tz"] = UserTimeZone, ["tz_offset"] = 3600,
                    ["profile"] = new JsonObject { ["display_name"] = "Anna", ["real_name"] = "Anna Berg" },
                },
            }.ToJsonString()),
            "apps.connections.open" => SocketUrl is null ? Json("""{"ok":false,"error":"invalid_auth"}""") : Json($$"""{"ok":true,"url":"{{SocketUrl}}"}"""),
            _ => Json("""{"ok":false,"error":"unknown_method"}"""),
        };
    }

    /// <summary>The HttpClient factory rotates handlers; this fake lives as long as the test.</summary>
    protected override void Dispose(bool disposing)
    {
    }
}
