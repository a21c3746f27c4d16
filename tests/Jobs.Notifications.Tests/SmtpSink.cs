using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Jobs.Notifications.Tests;

/// <summary>
/// A real SMTP server on loopback: <c>Smtp/smtp-sink.js</c> (npm <c>smtp-server</c>, installed by
/// <c>npm ci</c> there; <c>.ci/run</c> does it), printing each message it accepts.
/// <see cref="Unavailable"/> says why it could not start (the tests skip).
/// </summary>
public sealed class SmtpSink : IDisposable
{
    private readonly Process? _node;
    private readonly BlockingCollection<JsonNode> _messages = [];

    public SmtpSink(string? user = null, string? password = null, string? mode = null)
    {
        var source = FindSource();
        if (source is null || !File.Exists(Path.Combine(source, "node_modules", "smtp-server", "package.json")))
        {
            Unavailable = "smtp-server is not installed: run `npm ci` in tests/Jobs.Notifications.Tests/Smtp (.ci/run does)";
            return;
        }

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = source,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("smtp-sink.js");
        foreach (var arg in new[] { user ?? "", password ?? "", mode ?? "" })
        {
            start.ArgumentList.Add(arg);
        }

        try
        {
            _node = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Unavailable = $"node is not installed ({e.Message})";
            return;
        }

        var first = _node.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
        if (first is null || !first.StartsWith("listening ", StringComparison.Ordinal))
        {
            Unavailable = "the SMTP server did not start: " + _node.StandardError.ReadToEnd();
            return;
        }

        Port = int.Parse(first["listening ".Length..], System.Globalization.CultureInfo.InvariantCulture);
        _ = Task.Run(async () =>
        {
            while (await _node.StandardOutput.ReadLineAsync() is { } line)
            {
                _messages.Add(JsonNode.Parse(line)!);
            }
        });
    }

    public string? Unavailable { get; }

    public int Port { get; }

    public JsonNode Next(TimeSpan? patience = null) =>
        _messages.TryTake(out var message, patience ?? TimeSpan.FromSeconds(30)) ? message : throw new TimeoutException("no e-mail arrived");

    public int Count => _messages.Count;

    public void Dispose()
    {
        if (_node is { HasExited: false })
        {
            _node.StandardInput.Close();
            if (!_node.WaitForExit(5000))
            {
                _node.Kill();
            }
        }

        _node?.Dispose();
        _messages.Dispose();
    }

    /// <summary>The test project's Smtp folder in the source tree (where <c>npm ci</c> installs).</summary>
    private static string? FindSource()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Jobs.Notifications.Tests", "Smtp");
            if (File.Exists(Path.Combine(candidate, "smtp-sink.js")))
            {
                return candidate;
            }
        }

        return null;
    }
}
