using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KpiBot.Conversation.Routing;

/// <summary>
/// The routing table: every registered <see cref="IChatCommand"/> by unique name, in registration order.
/// Built once; a duplicate name throws <see cref="InvalidOperationException"/> naming both registrations.
/// </summary>
public sealed class CommandTable
{
    private readonly Dictionary<string, IChatCommand> _byName = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Builds the table from the registered commands.</summary>
    public CommandTable(IEnumerable<IChatCommand> commands)
    {
        ArgumentNullException.ThrowIfNull(commands);
        var ordered = new List<IChatCommand>();
        foreach (var command in commands)
        {
            if (string.IsNullOrWhiteSpace(command.Name))
            {
                throw new InvalidOperationException($"The chat command {command.GetType().FullName} has no name.");
            }
            if (_byName.TryGetValue(command.Name, out var existing))
            {
                throw new InvalidOperationException(
                    $"Two chat commands are registered as \"{command.Name}\": {existing.GetType().FullName} and {command.GetType().FullName}. Command names must be unique.");
            }
            _byName.Add(command.Name, command);
            ordered.Add(command);
        }
        Commands = ordered;
    }

    /// <summary>All commands in registration order (built-ins first).</summary>
    public IReadOnlyList<IChatCommand> Commands { get; }

    /// <summary>A command by name, or null.</summary>
    public IChatCommand? Find(string name) => _byName.GetValueOrDefault(name);
}

/// <summary>Registration helpers for the routing table.</summary>
public static class ChatCommandRegistration
{
    /// <summary>
    /// Adds a chat command to the routing table (a singleton). Other areas call this from their own
    /// <c>AddX</c> hosting extension, e.g. <c>builder.Services.AddChatCommand&lt;NudgeCommand&gt;()</c>.
    /// </summary>
    public static IServiceCollection AddChatCommand<TCommand>(this IServiceCollection services)
        where TCommand : class, IChatCommand
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<IChatCommand, TCommand>();
        return services;
    }

    /// <summary>Adds the table itself and a start-up check that builds it (so a duplicate fails the start).</summary>
    internal static IServiceCollection AddCommandTable(this IServiceCollection services)
    {
        services.TryAddSingleton<CommandTable>();
        services.AddHostedService<CommandTableCheck>();
        return services;
    }
}

/// <summary>Builds the routing table when the host starts, so a duplicate command name stops the start-up.</summary>
internal sealed class CommandTableCheck(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<CommandTable>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
