using System.Security.Cryptography;

namespace Jobs.Api.Identity;

/// <summary>
/// <c>dotnet run --project src/Jobs.Api -- new-api-key --name ci --user alice --roles jobs-admin</c>:
/// prints a new random key (shown once: only its hash is configured) and the configuration lines
/// that accept it, as environment variables and as appsettings JSON.
/// </summary>
public static class NewApiKeyCommand
{
    public const string Name = "new-api-key";

    /// <summary>Runs the command; returns the process exit code (2 for bad arguments).</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        string? name = null, user = null, index = "0";
        var roles = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : null;
            switch (args[i])
            {
                case "--name" when value is not null: name = value; i++; break;
                case "--user" when value is not null: user = value; i++; break;
                case "--index" when value is not null && int.TryParse(value, out _): index = value; i++; break;
                case "--roles" when value is not null:
                    roles.AddRange(value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                    i++;
                    break;
                default:
                    return Usage(error, $"unknown or incomplete option '{args[i]}'");
            }
        }

        if (string.IsNullOrWhiteSpace(name) || string.IsNullOrWhiteSpace(user))
        {
            return Usage(error, "--name and --user are required");
        }

        // 256 random bits, URL-safe base64 without padding: fits a header and a shell variable.
        var key = "jobs_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var hash = ApiKeyHandler.Hash(key);
        var prefix = $"Jobs__Auth__ApiKeys__{index}__";
        output.WriteLine($"API key (shown once; send it as 'Authorization: ApiKey <key>'):");
        output.WriteLine(key);
        output.WriteLine();
        output.WriteLine("Environment variables:");
        output.WriteLine($"{prefix}Name={name}");
        output.WriteLine($"{prefix}User={user}");
        for (var r = 0; r < roles.Count; r++)
        {
            output.WriteLine($"{prefix}Roles__{r}={roles[r]}");
        }

        output.WriteLine($"{prefix}Sha256={hash}");
        output.WriteLine();
        output.WriteLine("appsettings.json (Jobs:Auth:ApiKeys):");
        var entry = new System.Text.Json.Nodes.JsonObject
        {
            ["Name"] = name,
            ["User"] = user,
            ["Roles"] = new System.Text.Json.Nodes.JsonArray([.. roles.Select(r => (System.Text.Json.Nodes.JsonNode)r)]),
            ["Sha256"] = hash,
        };
        output.WriteLine(entry.ToJsonString());
        return 0;
    }

    private static int Usage(TextWriter error, string problem)
    {
        error.WriteLine($"new-api-key: {problem}");
        error.WriteLine("usage: new-api-key --name <what it is for> --user <user id> [--roles r1,r2] [--index n]");
        return 2;
    }
}
