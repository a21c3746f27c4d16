using System.Reflection;
using Jobs.Core.Search;
using Jobs.Elasticsearch;
using Jobs.Infra.Tests.Support;

namespace Jobs.Infra.Tests.Mappings;

/// <summary>
/// One source of truth for the index mappings: the JSON files under infra/elasticsearch are
/// exactly what the assemblies embed (and so what the adapter installs), and there is no other copy.
/// </summary>
public sealed class MappingSourceTests
{
    private const string Folder = "infra/elasticsearch";

    private static readonly Assembly[] Embedding = [typeof(JobsMapping).Assembly, typeof(ElasticsearchOptions).Assembly];

    [Fact]
    public void Every_mapping_file_is_embedded_byte_for_byte()
    {
        var files = Directory.GetFiles(RepoFiles.PathOf(Folder), "*.json").Select(Path.GetFileName).Order().ToList();
        var embedded = Embedding
            .SelectMany(a => a.GetManifestResourceNames().Where(n => n.EndsWith("-mapping.json", StringComparison.Ordinal)).Select(n => (Assembly: a, Name: n)))
            .ToList();

        Assert.Equal(files, embedded.Select(e => e.Name[(e.Assembly.GetName().Name!.Length + 1)..]).Order());
        foreach (var (assembly, name) in embedded)
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            Assert.Equal(RepoFiles.ReadText($"{Folder}/{name[(assembly.GetName().Name!.Length + 1)..]}"), reader.ReadToEnd());
        }
    }

    [Fact]
    public void No_other_copy_of_a_mapping_is_kept_in_the_repository()
    {
        var copies = Directory.EnumerateFiles(RepoFiles.Root, "*mapping*.json", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(RepoFiles.Root, p).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(p => !p.StartsWith(Folder + "/", StringComparison.Ordinal))
            .Where(p => !p.Split('/').Any(part => part is "bin" or "obj" or ".git" or ".aws-sam" or "TestResults" or "data"))
            .ToList();

        Assert.Empty(copies);
    }
}
