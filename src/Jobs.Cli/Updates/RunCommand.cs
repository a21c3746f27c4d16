using System.CommandLine;
using Jobs.Cli.Commands;
using Jobs.Cli.Inputs;

namespace Jobs.Cli.Updates;

/// <summary>
/// <c>jobsctl run -- COMMAND…</c>: the worker's wrapper. Reports <c>running</c>, runs the command,
/// then reports <c>succeeded</c> with its outputs or <c>failed</c> with its exit code and the tail
/// of its stderr — so a crash of the command (a CWL runner, a script) cannot leave the job
/// running for ever. While the command runs, the job is looked up now and then; once it is
/// dismissed the command is stopped and the run exits 2.
/// </summary>
public static class RunCommand
{
    public static Command Create(CliContext context)
    {
        var worker = new WorkerOptions();
        var outputsFile = new Option<string?>("--outputs-file") { Description = "After success, read outputs from this JSON file: {name: url|value|CWL File}", HelpName = "file" };
        var stdoutOutputs = new Option<bool>("--stdout-outputs") { Description = "The command's stdout is its outputs as JSON (cwltool prints them so); still echoed" };
        var outputs = new Option<string[]>("--output") { Description = "An output to report on success, name=url (repeatable)", HelpName = "name=url", Arity = ArgumentArity.ZeroOrMore };
        var stage = new Option<string?>("--stage") { Description = "The stage reported with running (default: the command's name)" };
        var checkEvery = new Option<string>("--check-every")
        {
            Description = "How often to look whether the job was dismissed (needs the API; 0: never)",
            DefaultValueFactory = _ => "30s",
            HelpName = "duration",
        };
        var tailLines = new Option<int>("--stderr-lines") { Description = "Lines of stderr kept for the failure message", DefaultValueFactory = _ => 20, HelpName = "n" };
        var commandLine = new Argument<string[]>("command") { Description = "The command and its arguments, after --", Arity = ArgumentArity.OneOrMore };

        var command = new Command("run", "Run a worker's command for a job: report running, then succeeded with outputs or failed.")
        {
            outputsFile, stdoutOutputs, outputs, stage, checkEvery, tailLines, commandLine,
        };
        worker.AddTo(command);
        command.WithDetails("""
            Reports running, runs the command, then reports succeeded (with the outputs of --outputs-file,
            --stdout-outputs and --output) or failed (type command-failed: the exit code and the last
            --stderr-lines lines of stderr). The command gets JOBS_JOB_ID and JOBS_UPDATE_TOKEN, so its own
            `jobsctl update` calls need no arguments. With the API as destination, the job is looked up
            every --check-every (JOBS_TOKEN / JOBS_API_KEY are sent if set); once it is dismissed the
            command is stopped (its process tree killed).

            Exit codes: 0 the command succeeded and the job was reported succeeded; the command's own code
            when it failed (the job was reported failed); 2 the job is dismissed (stopped, nothing reported);
            127 the command cannot be started; 130 interrupted; 64, 65, 75 as for update when the job
            could not be reported.

            Example: jobsctl run --stdout-outputs -- cwltool --no-container workflow.cwl job.yml
            """);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (jobId, token) = worker.Job(parse, context);
            TimeSpan every;
            try
            {
                every = DurationText.Parse(parse.GetValue(checkEvery)!, "--check-every");
            }
            catch (CliException e)
            {
                await context.Error.WriteLineAsync($"jobsctl run: {e.Message}");
                return e.ExitCode;
            }

            var options = new WorkerRun.Options(
                jobId, token, worker.Target(parse), parse.GetValue(commandLine)!, parse.GetValue(stage),
                parse.GetValue(outputsFile), parse.GetValue(stdoutOutputs), parse.GetValue(outputs)!, every, Math.Max(1, parse.GetValue(tailLines)));
            return await new WorkerRun(context).RunAsync(options, cancellationToken);
        });
        return command;
    }
}
