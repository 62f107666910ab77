namespace KpiBot.Conversation;

/// <summary>Registers the Conversation area's services.</summary>
public static class ConversationHosting
{
    /// <summary>Adds the Conversation services.</summary>
    public static WebApplicationBuilder AddConversation(this WebApplicationBuilder builder) => builder;

}
