using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KpiBot.ScenarioTests.Slack;

/// <summary>Start-up: a channel without credentials says it is off; wrong settings stop KpiBot with a clear reason.</summary>
public sealed class SlackStartupTests
{
    /// <summary>Keeps every log line written.</summary>
    private sealed class CapturingLogs : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(Lines);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue($"{logLevel}: {formatter(state, exception)}");
        }
    }

    [Fact]
    public void Without_a_signing_secret_the_start_up_log_says_the_http_channel_is_off_and_why()
    {
        var logs = new CapturingLogs();
        using var host = new SlackTestHost(
            new Dictionary<string, string?> { ["Slack:SigningSecret"] = "" },
            services => services.AddSingleton<ILoggerProvider>(logs));

        _ = host.Services;

        Assert.Contains(logs.Lines, l => l.StartsWith("Warning: Slack HTTP channel OFF: Slack:SigningSecret is not set", StringComparison.Ordinal));
    }

    [Fact]
    public void With_a_signing_secret_the_start_up_log_names_the_verified_endpoints()
    {
        var logs = new CapturingLogs();
        using var host = new SlackTestHost(configureServices: services => services.AddSingleton<ILoggerProvider>(logs));

        _ = host.Services;

        Assert.Contains(logs.Lines, l => l.Contains("Slack HTTP channel on: /api/slack/commands", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Slack:AppToken", "xoxb-not-an-app-token", "Slack:AppToken must be an app-level token starting with 'xapp-'")]
    [InlineData("Slack:BotToken", "xapp-1-wrong-place", "Slack:BotToken holds an app-level token")]
    [InlineData("Slack:ApiBaseUrl", "slack.com/api", "Slack:ApiBaseUrl must be an absolute http(s) URL")]
    public void A_wrong_setting_stops_start_up_naming_the_setting(string key, string value, string message)
    {
        using var host = new SlackTestHost(new Dictionary<string, string?> { [key] = value });

        var error = Assert.ThrowsAny<OptionsValidationException>(() => host.Services);

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
