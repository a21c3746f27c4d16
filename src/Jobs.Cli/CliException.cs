namespace Jobs.Cli;

/// <summary>A command cannot go on: <see cref="Message"/> is printed after <c>jobsctl: </c> and the run exits with <see cref="ExitCode"/>.</summary>
public sealed class CliException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
