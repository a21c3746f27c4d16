namespace Jobs.Cli;

/// <summary>
/// Exit codes of <c>jobs</c> (BSD sysexits values, so a CWL tool can declare
/// <c>permanentFailCodes</c> and <c>temporaryFailCodes</c>).
/// </summary>
public static class ExitCodes
{
    /// <summary>Stored (API) or accepted by SNS/SQS.</summary>
    public const int Ok = 0;

    /// <summary>The command line is wrong: a missing or malformed option (EX_USAGE).</summary>
    public const int Usage = 64;

    /// <summary>
    /// Refused for good: an invalid message, a wrong token, an unknown job, a topic or queue that does
    /// not exist or may not be written, no AWS credentials (EX_DATAERR). Sending again will not help.
    /// </summary>
    public const int Rejected = 65;

    /// <summary>Not delivered after every attempt, for a passing reason (network, throttling, store down) (EX_TEMPFAIL).</summary>
    public const int Transient = 75;
}
