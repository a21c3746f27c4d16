namespace Jobs.Cli;

/// <summary>
/// Exit codes of <c>jobsctl</c>. The job outcomes (1, 2, 3) let a shell or a CI step branch on how
/// a job ended; the others are BSD sysexits values, so a CWL tool can declare
/// <c>permanentFailCodes</c> and <c>temporaryFailCodes</c>. Listed in <c>jobsctl --help</c> and docs/cli.md.
/// </summary>
public static class ExitCodes
{
    /// <summary>Done: stored, accepted, or (watch, submit --wait) the job succeeded.</summary>
    public const int Ok = 0;

    /// <summary>watch, submit --wait, results: the job ended <c>failed</c> (run exits with the failed command's own code).</summary>
    public const int JobFailed = 1;

    /// <summary>
    /// The job is dismissed: watch and submit --wait saw it end so; update and run were told so by
    /// the API, so the worker should stop (its outputs are not applied).
    /// </summary>
    public const int JobDismissed = 2;

    /// <summary>The job has not finished: watch, submit --wait when --timeout ran out; results before the job ended.</summary>
    public const int StillRunning = 3;

    /// <summary>The command line or a setting is wrong: a missing or malformed option or value (EX_USAGE).</summary>
    public const int Usage = 64;

    /// <summary>
    /// Refused for good: an invalid request or message, a wrong update token, an unknown job or
    /// process, a topic or queue that does not exist or may not be written (EX_DATAERR). Sending
    /// again will not help.
    /// </summary>
    public const int Rejected = 65;

    /// <summary>Not done after every attempt, for a passing reason: unreachable, throttled, store down (EX_TEMPFAIL).</summary>
    public const int Transient = 75;

    /// <summary>The API refused the credentials (401) or the caller may not do this (403) (EX_NOPERM).</summary>
    public const int NoPermission = 77;

    /// <summary>The lines <c>jobsctl --help</c> and docs/cli.md show.</summary>
    public const string Help = """
        Exit codes:
          0   done; for watch and submit --wait: the job succeeded
          1   the job failed (watch, submit --wait, results); run exits with the failed command's own code
          2   the job is dismissed (watch, submit --wait; update and run: stop working, outputs are not applied)
          3   the job has not finished (watch, submit --wait: --timeout ran out; results: not ready yet)
          64  usage error: a missing or malformed option, argument or setting
          65  refused for good: invalid request, wrong update token, unknown job or process
          75  not done for a passing reason (unreachable, throttled, store unavailable): try again
          77  the API refused the credentials (401) or the permission (403): jobsctl login
        """;
}
