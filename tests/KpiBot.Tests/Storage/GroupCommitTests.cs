using KpiBot.Domain;
using KpiBot.Storage;

namespace KpiBot.Tests.Storage;

/// <summary>
/// Concurrent <c>Apply</c> calls are written in shared transactions (group commit); each caller still gets its own
/// outcome: stored, duplicate, or its own refusal, and nothing of a refused change set is stored.
/// </summary>
public sealed class GroupCommitTests
{
    private const string Ws = TempStore.Ws;
    private static readonly DateOnly Today = DateOnly.FromDateTime(TempStore.Now.UtcDateTime);

    [Fact]
    public async Task Concurrent_changes_each_get_their_own_outcome_and_survive_a_restart()
    {
        using var t = new TempStore();
        var changes = Enumerable.Range(0, 120).Select(i => i switch
        {
            // Every 10th is refused (a negative count), every 7th repeats an earlier message's source id.
            _ when i % 10 == 9 => ChangeSet.Entries(Ws, "anna", $"msg-{i}", "bad", TempStore.Now, [TempStore.Entry("anna", Today, MetricKeys.Booked, -1)]),
            _ when i % 7 == 6 => ChangeSet.Entries(Ws, "bob", "msg-0", "retry", TempStore.Now, [TempStore.Entry("bob", Today, MetricKeys.Held, 100)]),
            _ => ChangeSet.Entries(Ws, i % 2 == 0 ? "anna" : "bob", $"msg-{i}", "log", TempStore.Now, [TempStore.Entry(i % 2 == 0 ? "anna" : "bob", Today.AddDays(-(i % 30)), MetricKeys.Booked, i + 1)]),
        }).ToList();

        // The message the retries repeat is stored first, so every retry is a duplicate whatever the interleaving.
        t.Store.Apply(changes[0]);
        var outcomes = await Task.WhenAll(changes.Select(change => Task.Run(() =>
        {
            try
            {
                return (Result: (ApplyResult?)t.Store.Apply(change), Error: (Exception?)null);
            }
            catch (InvalidEntryException refused)
            {
                return (Result: (ApplyResult?)null, Error: (Exception?)refused);
            }
        })));

        for (var i = 0; i < changes.Count; i++)
        {
            var (result, error) = outcomes[i];
            if (i % 10 == 9)
            {
                Assert.Contains("negative", Assert.IsType<InvalidEntryException>(error).Message, StringComparison.Ordinal);
            }
            else if (i % 7 == 6)
            {
                Assert.True(result!.Duplicate);
                Assert.Equal("msg-0", result.Change.SourceId);
            }
            else
            {
                Assert.Equal(changes[i].SourceId, result!.Change.SourceId);
            }
        }
        var expected = changes.Where((c, i) => i % 10 != 9 && i % 7 != 6).Sum(c => c.AddEntries.Sum(e => e.Value));
        t.Reopen();
        var stored = t.Store.GetEntries(Ws, ["anna", "bob"], Today.AddDays(-40), Today);
        Assert.DoesNotContain(stored, e => e.Value < 0 || e.Value == 100);
        Assert.Equal(expected, stored.Sum(e => e.Value));
        Assert.Equal(changes.Count - 12 - 16, stored.Select(e => e.ChangeId).Distinct().Count());
    }
}
