using System.ComponentModel.DataAnnotations;

namespace KpiBot.Scheduling;

/// <summary>
/// The <c>Nudges</c> configuration section: when missed nudges still go out, when reminders are sent,
/// and how the outbox is worked. Validated at start-up; every default is documented in docs/nudges.md.
/// </summary>
public sealed class NudgeOptions
{
    /// <summary>The section name in appsettings.json.</summary>
    public const string Section = "Nudges";

    /// <summary>False turns the background scheduler off (the commands still store schedules).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// A nudge whose time passed while KpiBot was down is still sent on start if it is at most this late;
    /// an older one is skipped with a log line (a Friday nudge arriving on Saturday morning helps nobody).
    /// The same window bounds how late in the local day a personal reminder may still go out.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "Nudges:GraceWindow must be between 00:00:00 and 1.00:00:00 (default 06:00:00).")]
    public TimeSpan GraceWindow { get; set; } = TimeSpan.FromHours(6);

    /// <summary>The local hour (in each person's own zone) at which personal reminders go out: 10 = 10:00.</summary>
    [Range(6, 18, ErrorMessage = "Nudges:ReminderHour must be a working hour between 6 and 18 (default 10).")]
    public int ReminderHour { get; set; } = 10;

    /// <summary>How often the scheduler looks for due nudges, reminders and retries.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Nudges:PollInterval must be between 00:00:01 and 01:00:00 (default 00:00:30).")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a claimed outbox message belongs to the instance sending it. If that instance dies, another
    /// one reclaims the message once the lease has expired.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00", ErrorMessage = "Nudges:LeaseDuration must be between 00:00:05 and 01:00:00 (default 00:02:00).")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Send attempts before a message is given up as failed (throttling and 5xx are retried with backoff).</summary>
    [Range(1, 30, ErrorMessage = "Nudges:MaxAttempts must be between 1 and 30 (default 8).")]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Upper bound of the exponential backoff between attempts.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "06:00:00", ErrorMessage = "Nudges:MaxBackoff must be between 00:00:01 and 06:00:00 (default 00:10:00).")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Extra spacing added to every rate-limit window so messages sent right at a window's edge are not
    /// counted inside it by the platform (clocks and network latency differ by a few milliseconds).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:01", ErrorMessage = "Nudges:RateLimitMargin must be between 00:00:00 and 00:00:01 (default 00:00:00.020).")]
    public TimeSpan RateLimitMargin { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Identifies this process as a lease owner; defaults to host name + process id + a random suffix.</summary>
    public string? InstanceId { get; set; }
}
