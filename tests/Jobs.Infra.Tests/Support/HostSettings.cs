extern alias updates;

using System.Reflection;
using Jobs.Api;
using Jobs.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using UpdatesRegistration = updates::Jobs.UpdatesFunction.UpdateConsumerServiceCollectionExtensions;
using UpdatesOptions = updates::Jobs.UpdatesFunction.UpdatesOptions;

namespace Jobs.Infra.Tests.Support;

/// <summary>
/// The settings a host reads, taken from its code: every options class in the host's assembly or
/// the Jobs assemblies it references (a class with a <c>SectionName</c> or <c>Section</c> constant
/// under <c>Jobs:</c>; each public settable property is a key), plus <c>Jobs:Store</c>.
/// <see cref="Validate"/> registers the host's services from a set of environment variables, as
/// its Program does, and runs every options validation the host runs at start.
/// </summary>
public sealed class HostSettings
{
    private readonly Action<IServiceCollection, IConfiguration> _register;

    private HostSettings(string name, Assembly host, Action<IServiceCollection, IConfiguration> register)
    {
        Name = name;
        _register = register;
        OptionsTypes = JobsAssemblies(host)
            .SelectMany(a => a.GetExportedTypes())
            .Where(t => t.IsClass && SectionOf(t) is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .ToList();
        Keys = new HashSet<string>(
            OptionsTypes.SelectMany(t => KeysOf(SectionOf(t)!, t)).Append(StoreSelection.Key),
            StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>src/Jobs.Api: <c>AddJobStore</c> + <c>AddJobsApi</c> + identity + <c>AddJobDispatch</c>.</summary>
    public static HostSettings Api { get; } = new("Jobs.Api", typeof(ApiOptions).Assembly, (services, configuration) =>
    {
        services.AddJobStore(configuration);
        services.AddJobsApi(configuration);
        Jobs.Api.Identity.IdentityExtensions.AddJobsIdentity(services, configuration);
        Jobs.Dispatch.DispatchServiceCollectionExtensions.AddJobDispatch(services, configuration, _ => null);
    });

    /// <summary>functions/Jobs.UpdatesFunction: <c>AddJobStore</c> + <c>AddUpdateConsumer</c>.</summary>
    public static HostSettings Updates { get; } = new("Jobs.UpdatesFunction", typeof(UpdatesOptions).Assembly, (services, configuration) =>
    {
        services.AddJobStore(configuration);
        UpdatesRegistration.AddUpdateConsumer(services, configuration);
    });

    public string Name { get; }

    public IReadOnlyList<Type> OptionsTypes { get; }

    /// <summary>Configuration keys (<c>Jobs:Elasticsearch:Url</c>…), compared ignoring case as configuration does.</summary>
    public IReadOnlySet<string> Keys { get; }

    /// <summary>The configuration key of an environment variable (<c>Jobs__A__B</c> is <c>Jobs:A:B</c>).</summary>
    public static string KeyOf(string environmentVariable) => environmentVariable.Replace("__", ":", StringComparison.Ordinal);

    public static bool IsJobsVariable(string environmentVariable) => environmentVariable.StartsWith("Jobs__", StringComparison.Ordinal);

    /// <summary>Options of type <typeparamref name="T"/> bound from these environment variables over the class's defaults.</summary>
    public static T Bind<T>(IReadOnlyDictionary<string, string> environment)
        where T : class, new() =>
        Configuration(environment).GetSection(SectionOf(typeof(T))!).Get<T>() ?? new T();

    /// <summary>The failures of the host's options validation with these environment variables (empty: it starts).</summary>
    public List<string> Validate(IReadOnlyDictionary<string, string> environment)
    {
        var configuration = Configuration(environment);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        _register(services, configuration);
        using var provider = services.BuildServiceProvider();

        var failures = new List<string>();
        foreach (var type in OptionsTypes)
        {
            var accessor = provider.GetService(typeof(IOptions<>).MakeGenericType(type));
            try
            {
                _ = accessor?.GetType().GetProperty(nameof(IOptions<object>.Value))!.GetValue(accessor);
            }
            catch (TargetInvocationException e) when (e.InnerException is OptionsValidationException invalid)
            {
                failures.AddRange(invalid.Failures.Select(f => $"{type.Name}: {f}"));
            }
            catch (TargetInvocationException e) when (e.InnerException is InvalidOperationException binding)
            {
                failures.Add($"{type.Name}: {binding.Message}");
            }
        }

        return failures;
    }

    private static IConfigurationRoot Configuration(IReadOnlyDictionary<string, string> environment) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(environment.Where(e => IsJobsVariable(e.Key)).Select(e => KeyValuePair.Create(KeyOf(e.Key), (string?)e.Value)))
            .Build();

    private static string? SectionOf(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string) && f.Name is "SectionName" or "Section")
            .Select(f => (string?)f.GetRawConstantValue())
            .FirstOrDefault(v => v?.StartsWith("Jobs:", StringComparison.Ordinal) == true);

    private static IEnumerable<string> KeysOf(string prefix, Type type)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod?.IsPublic == true))
        {
            var valueType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            var key = $"{prefix}:{property.Name}";
            if (IsScalar(valueType))
            {
                yield return key;
            }
            else
            {
                foreach (var nested in KeysOf(key, valueType))
                {
                    yield return nested;
                }
            }
        }
    }

    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal)
        || type == typeof(TimeSpan) || type == typeof(DateTimeOffset) || type == typeof(DateTime) || type == typeof(Uri);

    private static IEnumerable<Assembly> JobsAssemblies(Assembly host)
    {
        var seen = new Dictionary<string, Assembly>(StringComparer.Ordinal);
        var pending = new Stack<Assembly>([host]);
        while (pending.TryPop(out var assembly))
        {
            if (!seen.TryAdd(assembly.GetName().Name!, assembly))
            {
                continue;
            }

            foreach (var reference in assembly.GetReferencedAssemblies().Where(r => r.Name?.StartsWith("Jobs.", StringComparison.Ordinal) == true))
            {
                pending.Push(Assembly.Load(reference));
            }
        }

        return seen.Values;
    }
}
