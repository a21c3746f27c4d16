using System.Globalization;

namespace Jobs.Infra.Tests.Support;

/// <summary>docker-compose.localstack.yml, read with the compose file format's short and long forms.</summary>
public sealed class ComposeFile
{
    public const string FileName = "docker-compose.localstack.yml";

    private ComposeFile(Dictionary<string, object?> root)
    {
        Root = root;
        Services = SamTemplate.Map(root, "services").ToDictionary(s => s.Key, s => new Service(s.Key, (Dictionary<string, object?>)s.Value!));
    }

    public static ComposeFile Load() => new(YamlModel.LoadMap(RepoFiles.ReadText(FileName)));

    public Dictionary<string, object?> Root { get; }

    public Dictionary<string, Service> Services { get; }

    public sealed record Port(string? HostIp, int HostPort, int ContainerPort);

    public sealed class Service(string name, Dictionary<string, object?> definition)
    {
        public string Name { get; } = name;

        public Dictionary<string, object?> Definition { get; } = definition;

        public string? Image => Definition.GetValueOrDefault("image") as string;

        public IReadOnlyList<string> Profiles => Definition.GetValueOrDefault("profiles") is List<object?> p ? p.Cast<string>().ToList() : [];

        /// <summary><c>environment</c> as a map (its list form <c>KEY=value</c> too).</summary>
        public Dictionary<string, string> Environment => Definition.GetValueOrDefault("environment") switch
        {
            Dictionary<string, object?> map => map.ToDictionary(e => e.Key, e => e.Value as string ?? ""),
            List<object?> list => list.Cast<string>().Select(e => e.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : ""),
            _ => [],
        };

        /// <summary><c>ports</c> in the short form <c>[ip:]host:container</c>.</summary>
        public IReadOnlyList<Port> Ports => Definition.GetValueOrDefault("ports") is List<object?> ports
            ? ports.Cast<string>().Select(ParsePort).ToList()
            : [];

        public IReadOnlyList<string> Volumes => Definition.GetValueOrDefault("volumes") is List<object?> v ? v.Cast<string>().ToList() : [];

        /// <summary><c>depends_on</c>: service to condition (<c>service_started</c> in the short form).</summary>
        public Dictionary<string, string> DependsOn => Definition.GetValueOrDefault("depends_on") switch
        {
            Dictionary<string, object?> map => map.ToDictionary(
                d => d.Key,
                d => (d.Value as Dictionary<string, object?>)?.GetValueOrDefault("condition") as string ?? "service_started"),
            List<object?> list => list.Cast<string>().ToDictionary(s => s, _ => "service_started"),
            _ => [],
        };

        public Dictionary<string, object?>? Build => Definition.GetValueOrDefault("build") as Dictionary<string, object?>;

        public Dictionary<string, object?>? Healthcheck => Definition.GetValueOrDefault("healthcheck") as Dictionary<string, object?>;

        /// <summary>The container port of the service's one published port.</summary>
        public int ContainerPort => Assert.Single(Ports).ContainerPort;

        private static Port ParsePort(string spec)
        {
            var parts = spec.Split(':');
            return parts.Length switch
            {
                3 => new Port(parts[0], Number(parts[1]), Number(parts[2])),
                2 => new Port(null, Number(parts[0]), Number(parts[1])),
                _ => throw new InvalidDataException($"port '{spec}' is not [ip:]host:container"),
            };
        }

        private static int Number(string text) => int.Parse(text, CultureInfo.InvariantCulture);
    }
}
