using KpiBot.Channels;
using KpiBot.Conversation;
using KpiBot.Domain;
using KpiBot.Storage.LiteDb;

namespace KpiBot.Tests.Storage;

public sealed class LiteDbConversationDirectoryTests
{
    private static readonly DateTimeOffset Now = TempStore.Now;

    private static ConversationAddress Address(string conversationId, ConversationKind kind, string? userId = null, string workspace = "teams:tenant", DateTimeOffset? at = null) =>
        new(ConversationAddress.KeyOf(Platform.Teams, workspace, conversationId), Platform.Teams, workspace, conversationId, kind, conversationId + " name",
            "https://smba.trafficmanager.net/emea/", userId, new Dictionary<string, string> { ["botId"] = "28:bot", ["tenantId"] = "tenant" }, true, at ?? Now);

    [Fact]
    public void A_saved_address_reads_back_with_its_platform_data()
    {
        using var context = LiteDbContext.InMemory();
        var directory = new LiteDbConversationDirectory(context);
        var channel = Address("19:abc@thread.tacv2", ConversationKind.Channel);
        directory.Save(channel);
        var found = directory.Find(channel.Key)!;
        Assert.Equal(channel with { PlatformData = found.PlatformData }, found);
        Assert.Equal(channel.PlatformData, found.PlatformData);
        Assert.Null(directory.Find("teams:tenant:unknown"));
    }

    [Fact]
    public void The_personal_chat_of_a_user_is_found_and_the_latest_active_one_wins()
    {
        using var context = LiteDbContext.InMemory();
        var directory = new LiteDbConversationDirectory(context);
        directory.Save(Address("a:old", ConversationKind.Personal, "aad-1", at: Now));
        directory.Save(Address("a:new", ConversationKind.Personal, "aad-1", at: Now.AddDays(1)));
        directory.Save(Address("19:team", ConversationKind.Channel, "aad-1"));
        Assert.Equal("a:new", directory.FindPersonal(Platform.Teams, "teams:tenant", "aad-1")!.ConversationId);

        directory.MarkInactive(Address("a:new", ConversationKind.Personal).Key, "403 bot blocked", Now.AddDays(2));
        Assert.Equal("a:old", directory.FindPersonal(Platform.Teams, "teams:tenant", "aad-1")!.ConversationId);
        Assert.Null(directory.FindPersonal(Platform.Slack, "teams:tenant", "aad-1"));
        Assert.Null(directory.FindPersonal(Platform.Teams, "teams:tenant", "aad-2"));
    }

    [Fact]
    public void Marking_inactive_keeps_the_reason_and_saving_again_reactivates()
    {
        using var context = LiteDbContext.InMemory();
        var directory = new LiteDbConversationDirectory(context);
        var channel = Address("C123", ConversationKind.Channel);
        directory.Save(channel);
        directory.MarkInactive(channel.Key, "channel_not_found", Now.AddHours(1));
        var inactive = directory.Find(channel.Key)!;
        Assert.False(inactive.Active);
        Assert.Equal(Now.AddHours(1), inactive.UpdatedAt);
        Assert.Equal("channel_not_found", directory.InactiveReason(channel.Key));

        directory.Save(channel with { Active = false, UpdatedAt = Now.AddHours(2) });
        Assert.True(directory.Find(channel.Key)!.Active);
        Assert.Null(directory.InactiveReason(channel.Key));
        directory.MarkInactive("teams:tenant:never-seen", "gone", Now); // unknown keys are ignored
    }

    [Fact]
    public void Listing_is_per_workspace()
    {
        using var context = LiteDbContext.InMemory();
        var directory = new LiteDbConversationDirectory(context);
        directory.Save(Address("C1", ConversationKind.Channel));
        directory.Save(Address("C2", ConversationKind.Group));
        directory.Save(Address("C9", ConversationKind.Channel, workspace: "teams:other"));
        Assert.Equal(["C1", "C2"], directory.List("teams:tenant").Select(a => a.ConversationId));
        Assert.Equal(["C9"], directory.List("teams:other").Select(a => a.ConversationId));
    }
}
