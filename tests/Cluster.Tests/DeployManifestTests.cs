using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
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
            var type = options!;
            foreach (var part in parts.Skip(1))
            {
                // Each further part is a property of the one before (Storage__AzureStorage__ConnectionString).
                var property = type.GetProperty(part, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
                Assert.True(property is { CanWrite: true }, $"{file}: {name} is not a setting of {options.Name}.");
                type = property!.PropertyType;
            }
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
        Assert.Contains("location = /metrics {\n        return 404;", nginx, StringComparison.Ordinal); // not published
        Assert.Contains("/health/ready", api, StringComparison.Ordinal);
        Assert.All(Directory.GetFiles(Path.Combine(Deploy, "docker")), f => Assert.Contains("USER $APP_UID", File.ReadAllText(f), StringComparison.Ordinal));
    }

    /// <summary>
    /// Both hosts tier hot methods up at once rather than after start-up's JIT activity pauses (under load right after a
    /// start it did not pause for a minute: heavy ran at half its steady rate), and the images are ReadyToRun for their
    /// architecture, which takes back most of the start-up time that costs (docs/benchmarks.md, item 30).
    /// </summary>
    [Theory]
    [InlineData("src/Api", "Orleans.Agent.Api.runtimeconfig.json", "Api.Dockerfile")]
    [InlineData("src/Silo", "Orleans.Agent.Silo.runtimeconfig.json", "Silo.Dockerfile")]
    public void The_hosts_tier_up_from_the_start_and_their_images_are_ReadyToRun(string project, string runtimeConfig, string dockerfile)
    {
        using var config = JsonDocument.Parse(File.ReadAllText(TestPaths.BuildOutput(project, runtimeConfig)));
        var image = File.ReadAllText(Path.Combine(Deploy, "docker", dockerfile));

        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
        Assert.Equal(0, properties.GetProperty("System.Runtime.TieredCompilation.CallCountingDelayMs").GetInt32());
        Assert.Contains("ARG TARGETARCH", image, StringComparison.Ordinal);
        Assert.Matches(@"RUN dotnet publish \S+ -c Release -a \$TARGETARCH .*-p:PublishReadyToRun=true", image);
    }

    [Fact]
    public void Every_silo_api_and_redis_workload_is_fenced_by_a_network_policy()
    {
        var documents = KubernetesDocuments().ToList();
        var policies = documents.Where(d => Scalar(d, "kind") == "NetworkPolicy").ToList();
        var workloads = documents.Where(d => Scalar(d, "kind") == "Deployment").ToList();

        Assert.Contains(policies, p => Map(Map(p, "spec"), "podSelector").Children.Count == 0
            && Sequence(Map(p, "spec"), "policyTypes").Children.OfType<YamlScalarNode>().Any(t => t.Value == "Ingress")
            && !Map(p, "spec").Children.ContainsKey(new YamlScalarNode("ingress")));
        Assert.Equal(["orleans-agent-api", "orleans-agent-silo", "redis"], workloads.Select(AppLabel).Order());
        foreach (var workload in workloads)
        {
            var app = AppLabel(workload);
            var ports = Containers(workload).SelectMany(c => Sequence(c, "ports").Children.Cast<YamlMappingNode>()).Select(p => Scalar(p, "containerPort")).ToHashSet();
            var rules = policies.Where(p => Scalar(Map(Map(Map(p, "spec"), "podSelector"), "matchLabels"), "app") == app)
                .SelectMany(p => Sequence(Map(p, "spec"), "ingress").Children.Cast<YamlMappingNode>()).ToList();
            Assert.True(rules.Count > 0, $"No NetworkPolicy selects {app}.");
            Assert.All(rules, rule => Assert.True(Sequence(rule, "from").Children.Count > 0, $"{app}: an ingress rule open to everyone."));
            var allowed = rules.SelectMany(r => Sequence(r, "ports").Children.Cast<YamlMappingNode>()).Select(p => Scalar(p, "port")).ToHashSet();
            Assert.True(allowed.IsSubsetOf(ports), $"{app}: a policy opens a port the pod does not have.");
            Assert.True(ports.SetEquals(allowed), $"{app}: ports {string.Join(",", ports.Except(allowed))} have no policy (the default denies them, the probes aside).");
        }

        // Who may come in: the silo port from silos alone, the gateway and Redis from silos and API nodes alone.
        Assert.Equal(["orleans-agent-silo"], Sources(policies, "orleans-agent-silo", "11111"));
        Assert.Equal(["orleans-agent-api", "orleans-agent-silo"], Sources(policies, "orleans-agent-silo", "30000"));
        Assert.Equal(["orleans-agent-api", "orleans-agent-silo"], Sources(policies, "redis", "6379"));
    }

    [Fact]
    public void No_secret_value_is_inline_in_a_manifest()
    {
        var documents = KubernetesDocuments().ToList();
        Assert.DoesNotContain(documents, d => Scalar(d, "kind") == "Secret");
        var env = documents.SelectMany(d => Descendants(d).OfType<YamlMappingNode>())
            .Where(m => m.Children.ContainsKey(new YamlScalarNode("name")) && (m.Children.ContainsKey(new YamlScalarNode("value")) || m.Children.ContainsKey(new YamlScalarNode("valueFrom"))))
            .ToList();
        Assert.NotEmpty(env);
        Assert.All(env.Where(e => LooksSecret(Scalar(e, "name")!)), e =>
            Assert.True(Descendants(e).OfType<YamlMappingNode>().Any(m => m.Children.ContainsKey(new YamlScalarNode("secretKeyRef"))),
                $"k8s: {Scalar(e, "name")} must come from a Secret (valueFrom.secretKeyRef), not a value."));

        foreach (var file in ComposeFiles)
        {
            var compose = Effective(ComposeRoot(file));
            var composeEnv = Descendants(compose).OfType<YamlMappingNode>()
                .SelectMany(m => m.Children.Where(c => c.Key is YamlScalarNode { Value: "environment" or "x-cluster-env" } && c.Value is YamlMappingNode))
                .SelectMany(c => Effective((YamlMappingNode)c.Value).Children)
                .Select(c => (Name: ((YamlScalarNode)c.Key).Value!, Value: ((YamlScalarNode)c.Value).Value!))
                .ToList();
            Assert.All(composeEnv.Where(e => LooksSecret(e.Name)), e =>
                Assert.True(Regex.IsMatch(e.Value, @"^\$\{[A-Z_]+:\?[^}]+\}$") || Regex.IsMatch(e.Value, @"password=\$\{[A-Z_]+:\?[^}]+\}(,|$)"),
                    $"{file}: {e.Name} must come from the environment (${{VAR:?...}}), not a literal."));
            Assert.Contains(composeEnv, e => file == "compose.yaml"
                ? e.Name == "Storage__Redis" && e.Value.Contains("password=${REDIS_PASSWORD", StringComparison.Ordinal)
                : e.Name == "Storage__AzureStorage__ConnectionString" && e.Value.StartsWith("${AZURE_STORAGE_CONNECTION_STRING:?", StringComparison.Ordinal));
        }

        Assert.Matches(@">\$\{REDIS_PASSWORD:\?[^}]+\}", ClusterLocks.DeployedRedisAcl());
    }

    [Fact]
    public void Product_containers_run_as_non_root_on_read_only_filesystems_and_only_nginx_is_published_and_grafana_on_loopback()
    {
        foreach (var workload in KubernetesDocuments().Where(d => Scalar(d, "kind") == "Deployment"))
        {
            var pod = Map(Map(Map(workload, "spec"), "template"), "spec");
            Assert.Equal("true", Scalar(Map(pod, "securityContext"), "runAsNonRoot"));
            Assert.All(Containers(workload), c =>
            {
                Assert.Equal("true", Scalar(Map(c, "securityContext"), "readOnlyRootFilesystem"));
                Assert.Equal("false", Scalar(Map(c, "securityContext"), "allowPrivilegeEscalation"));
            });
        }

        foreach (var file in ComposeFiles)
        {
            var services = Map(ComposeRoot(file), "services").Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => Effective((YamlMappingNode)c.Value));
            var networks = Map(ComposeRoot(file), "networks");
            // Redis's variant keeps the cluster network internal (no route out); Azure's must reach the storage account.
            Assert.Equal(file == "compose.yaml" ? "true" : null, Scalar(Map(networks, "cluster"), "internal"));
            foreach (var (name, service) in services)
            {
                Assert.True(Scalar(service, "read_only") == "true", $"{file}: {name} has a writable root filesystem.");
                Assert.Equal(name is "nginx" or "grafana", service.Children.ContainsKey(new YamlScalarNode("ports")));
                if (name == "grafana")
                {
                    // The observability profile's Grafana is for the operator's own machine, not the network.
                    Assert.All(Sequence(service, "ports").Children, p => Assert.StartsWith("127.0.0.1:", ((YamlScalarNode)p).Value, StringComparison.Ordinal));
                }

                var joined = service.Children[new YamlScalarNode("networks")] switch
                {
                    YamlSequenceNode list => list.Children.Select(n => ((YamlScalarNode)n).Value!).ToList(),
                    YamlMappingNode map => map.Children.Keys.Select(n => ((YamlScalarNode)n).Value!).ToList(),
                    _ => [],
                };
                var expected = name switch
                {
                    "nginx" => ["front"],
                    _ when name.StartsWith("api", StringComparison.Ordinal) || name == "grafana" => ["cluster", "front"],
                    _ => new List<string> { "cluster" }, // Redis and the silos never face the public side
                };
                Assert.Equal(expected, joined.Order().ToList());
            }
        }
    }

    [Fact]
    public void The_azure_storage_variants_take_the_account_from_a_secret_and_run_no_redis()
    {
        var compose = Map(ComposeRoot("compose.azure.yaml"), "services");
        Assert.DoesNotContain(compose.Children.Keys, k => ((YamlScalarNode)k).Value!.Contains("redis", StringComparison.Ordinal));
        var composeEnv = Effective(Map(ComposeRoot("compose.azure.yaml"), "x-cluster-env"));
        Assert.Equal("AzureStorage", Scalar(composeEnv, "Storage__Provider"));
        Assert.Equal("AzureStorage", Scalar(composeEnv, "Silo__Clustering"));

        // Kubernetes: an overlay of deploy/k8s that drops Redis and takes the connection string from a Secret.
        var overlay = Path.Combine(TestPaths.RepositoryRoot, "deploy", "k8s-azure");
        var kustomization = Load(Path.Combine(overlay, "kustomization.yaml")).Single();
        Assert.Equal(["../k8s"], Sequence(kustomization, "resources").Children.Select(r => ((YamlScalarNode)r).Value));
        var deleted = Sequence(kustomization, "patches").Children.Cast<YamlMappingNode>().Select(p => Scalar(p, "patch")).OfType<string>().ToList();
        foreach (var kind in new[] { "Deployment", "Service", "NetworkPolicy" })
        {
            Assert.Contains(deleted, p => p.Contains("$patch: delete", StringComparison.Ordinal) && p.Contains($"kind: {kind}", StringComparison.Ordinal) && p.Contains("name: redis", StringComparison.Ordinal));
        }

        foreach (var (patch, workload) in new[] { ("silo-storage.yaml", "orleans-agent-silo"), ("api-storage.yaml", "orleans-agent-api") })
        {
            Assert.Contains(Sequence(kustomization, "patches").Children.Cast<YamlMappingNode>(), p => Scalar(p, "path") == patch);
            var document = Load(Path.Combine(overlay, patch)).Single();
            Assert.Equal(workload, Scalar(Map(document, "metadata"), "name"));
            var env = Containers(document).Single().Children[new YamlScalarNode("env")] as YamlSequenceNode;
            var entries = env!.Children.Cast<YamlMappingNode>().ToDictionary(e => Scalar(e, "name")!);
            Assert.Equal("delete", Scalar(entries["Storage__Redis"], "$patch"));
            Assert.Equal("AzureStorage", Scalar(entries["Storage__Provider"], "value"));
            Assert.Equal("AzureStorage", Scalar(entries["Silo__Clustering"], "value"));
            Assert.Equal("orleans-agent-azure-storage", Scalar(Map(Map(entries["Storage__AzureStorage__ConnectionString"], "valueFrom"), "secretKeyRef"), "name"));
        }
    }

    [Fact]
    public void Prometheus_scrapes_the_metrics_port_every_silo_and_api_node_serves()
    {
        // Compose: every silo and API node gets Metrics__Port, and prometheus.yml names each of them on it.
        var port = Scalar(Map(ComposeRoot(), "x-cluster-env"), "Metrics__Port");
        var scrape = File.ReadAllText(Path.Combine(Deploy, "prometheus", "prometheus.yml"));
        foreach (var name in Map(ComposeRoot(), "services").Children.Keys.Select(k => ((YamlScalarNode)k).Value!).Where(n => n.StartsWith("silo", StringComparison.Ordinal) || n.StartsWith("api", StringComparison.Ordinal)))
        {
            Assert.Contains($"\"{name}:{port}\"", scrape, StringComparison.Ordinal);
        }

        // Kubernetes: the annotation, the env and the container port agree.
        foreach (var workload in KubernetesDocuments().Where(d => Scalar(d, "kind") == "Deployment" && Scalar(Map(d, "metadata"), "name")?.StartsWith("orleans-agent", StringComparison.Ordinal) == true))
        {
            var template = Map(Map(workload, "spec"), "template");
            var annotated = Scalar(Map(Map(template, "metadata"), "annotations"), "prometheus.io/port");
            var container = Containers(workload).Single();
            var env = Sequence(container, "env").Children.Cast<YamlMappingNode>().Single(e => Scalar(e, "name") == "Metrics__Port");
            Assert.Equal(annotated, Scalar(env, "value"));
            Assert.Contains(Sequence(container, "ports").Children.Cast<YamlMappingNode>(), p => Scalar(p, "name") == "metrics" && Scalar(p, "containerPort") == annotated);
        }
    }

    private static bool LooksSecret(string name) =>
        Regex.IsMatch(name, "(Key|Password|Secret|Token|ConnectionString)$", RegexOptions.IgnoreCase) || name == "Storage__Redis";

    private static IEnumerable<YamlMappingNode> KubernetesDocuments()
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Deploy, "k8s"), "*.yaml"))
        {
            var stream = new YamlStream();
            using var reader = File.OpenText(file);
            stream.Load(reader);
            foreach (var document in stream.Documents)
            {
                yield return (YamlMappingNode)document.RootNode;
            }
        }
    }

    /// <summary>The compose files: the cluster on Redis, and the same on Azure Storage.</summary>
    private static readonly string[] ComposeFiles = ["compose.yaml", "compose.azure.yaml"];

    private static YamlMappingNode ComposeRoot(string file = "compose.yaml") => Load(Path.Combine(Deploy, file))[0];

    private static List<YamlMappingNode> Load(string path)
    {
        var stream = new YamlStream();
        using var reader = File.OpenText(path);
        stream.Load(reader);
        return [.. stream.Documents.Select(d => (YamlMappingNode)d.RootNode)];
    }

    /// <summary>A mapping with its YAML merge keys (<c>&lt;&lt;: *anchor</c>) applied, as compose reads it.</summary>
    private static YamlMappingNode Effective(YamlMappingNode map)
    {
        var result = new YamlMappingNode();
        if (map.Children.TryGetValue(new YamlScalarNode("<<"), out var merged))
        {
            foreach (var source in merged is YamlSequenceNode list ? list.Children : [merged])
            {
                foreach (var (key, value) in Effective((YamlMappingNode)source).Children)
                {
                    result.Children[key] = value;
                }
            }
        }

        foreach (var (key, value) in map.Children.Where(c => c.Key is not YamlScalarNode { Value: "<<" }))
        {
            result.Children[key] = value;
        }

        return result;
    }

    private static List<string> Sources(List<YamlMappingNode> policies, string app, string port) =>
        [.. policies.Where(p => Scalar(Map(Map(Map(p, "spec"), "podSelector"), "matchLabels"), "app") == app)
            .SelectMany(p => Sequence(Map(p, "spec"), "ingress").Children.Cast<YamlMappingNode>())
            .Where(r => Sequence(r, "ports").Children.Cast<YamlMappingNode>().Any(p => Scalar(p, "port") == port))
            .SelectMany(r => Sequence(r, "from").Children.Cast<YamlMappingNode>())
            .Select(f => Scalar(Map(Map(f, "podSelector"), "matchLabels"), "app") ?? "(not a pod of this deployment)")
            .Distinct().Order()];

    private static IEnumerable<YamlMappingNode> Containers(YamlMappingNode workload) =>
        Sequence(Map(Map(Map(workload, "spec"), "template"), "spec"), "containers").Children.Cast<YamlMappingNode>();

    private static string AppLabel(YamlMappingNode workload) =>
        Scalar(Map(Map(Map(Map(workload, "spec"), "template"), "metadata"), "labels"), "app")!;

    private static YamlMappingNode Map(YamlMappingNode? node, string key) =>
        node?.Children.TryGetValue(new YamlScalarNode(key), out var value) == true && value is YamlMappingNode map ? map : new YamlMappingNode();

    private static YamlSequenceNode Sequence(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlSequenceNode list ? list : new YamlSequenceNode();

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? (value as YamlScalarNode)?.Value : null;

    private static IEnumerable<YamlNode> Descendants(YamlNode node) => node.AllNodes;

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
