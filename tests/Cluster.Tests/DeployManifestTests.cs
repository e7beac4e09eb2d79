using System.Reflection;
using YamlDotNet.RepresentationModel;

namespace Orleans.Agent.Tests;

/// <summary>No container engine runs here, so the deploy/ folder is checked for what can be checked without one.</summary>
public sealed class DeployManifestTests
{
    private static readonly string Deploy = Path.Combine(TestPaths.RepositoryRoot, "deploy");

    /// <summary>Every options class of the product, by its configuration section.</summary>
    private static readonly Dictionary<string, Type> OptionsBySection = new[] { typeof(Api.AgentApiApplication).Assembly, typeof(Grains.Hosting.AgentSiloOptions).Assembly }
        .SelectMany(a => a.GetTypes())
        .Select(t => (Type: t, Field: t.GetField("Section", BindingFlags.Public | BindingFlags.Static)))
        .Where(x => x.Field is { IsLiteral: true } && x.Field.FieldType == typeof(string))
        .ToDictionary(x => (string)x.Field!.GetValue(null)!, x => x.Type, StringComparer.OrdinalIgnoreCase);

    public static TheoryData<string> YamlFiles() =>
        [.. Directory.EnumerateFiles(Deploy, "*.yaml", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Deploy, f))];

    [Theory]
    [MemberData(nameof(YamlFiles))]
    public void Every_yaml_file_parses_and_every_setting_it_makes_is_an_option_that_exists(string file)
    {
        var stream = new YamlStream();
        using (var reader = File.OpenText(Path.Combine(Deploy, file)))
        {
            stream.Load(reader);
        }

        var settings = stream.Documents.SelectMany(d => EnvironmentNames(d.RootNode)).Where(n => n.Contains("__", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(stream.Documents);
        Assert.All(settings, name =>
        {
            var parts = name.Split("__");
            Assert.True(OptionsBySection.TryGetValue(parts[0], out var options), $"{file}: {name} names no configuration section.");
            Assert.True(
                options!.GetProperty(parts[1], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase) is { CanWrite: true },
                $"{file}: {name} is not a setting of {options.Name}.");
        });
    }

    [Fact]
    public void The_manifests_set_what_a_cluster_needs()
    {
        var compose = File.ReadAllText(Path.Combine(Deploy, "compose.yaml"));
        var nginx = File.ReadAllText(Path.Combine(Deploy, "nginx.conf"));
        var api = File.ReadAllText(Path.Combine(Deploy, "k8s", "api.yaml"));

        Assert.Contains("Hosting__Mode: Client", compose, StringComparison.Ordinal);
        Assert.Contains("proxy_buffering off", nginx, StringComparison.Ordinal);
        Assert.Contains("proxy_read_timeout 1h", nginx, StringComparison.Ordinal);
        Assert.Contains("/health/ready", api, StringComparison.Ordinal);
        Assert.All(Directory.GetFiles(Path.Combine(Deploy, "docker")), f => Assert.Contains("USER $APP_UID", File.ReadAllText(f), StringComparison.Ordinal));
    }

    /// <summary>Keys of compose <c>environment:</c> maps and names of Kubernetes <c>env:</c> entries, anywhere in the tree.</summary>
    private static IEnumerable<string> EnvironmentNames(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode map:
                foreach (var (key, value) in map.Children)
                {
                    var name = (key as YamlScalarNode)?.Value;
                    if (name is "environment" or "x-cluster-env" && value is YamlMappingNode environment)
                    {
                        foreach (var entry in environment.Children.Keys.OfType<YamlScalarNode>().Where(k => k.Value != "<<"))
                        {
                            yield return entry.Value!;
                        }
                    }
                    else if (name == "env" && value is YamlSequenceNode list)
                    {
                        foreach (var entry in list.Children.OfType<YamlMappingNode>())
                        {
                            yield return ((YamlScalarNode)entry.Children[new YamlScalarNode("name")]).Value!;
                        }
                    }

                    foreach (var inner in EnvironmentNames(value))
                    {
                        yield return inner;
                    }
                }

                break;
            case YamlSequenceNode sequence:
                foreach (var inner in sequence.Children.SelectMany(EnvironmentNames))
                {
                    yield return inner;
                }

                break;
        }
    }
}
