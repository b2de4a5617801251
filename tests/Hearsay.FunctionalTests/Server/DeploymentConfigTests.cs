using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hearsay.Contracts;
using Hearsay.Core.Models.Catalog;
using Hearsay.Testing;

namespace Hearsay.FunctionalTests.Server;

/// <summary>
/// The server image's command (Dockerfile) and the Kubernetes example's container arguments and probes, run for real:
/// no Docker engine or cluster is available here, so this is what proves they fit the CLI they call.
/// </summary>
public sealed partial class DeploymentConfigTests : IDisposable
{
    private const string Token = "a-token-from-a-kubernetes-secret";

    private readonly TemporaryDirectory _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task DockerfileCommand_RunAsAContainerWould_AnswersItsHealthCheckByAnyHost()
    {
        var dockerfile = await File.ReadAllTextAsync(Path.Combine(TestPaths.RepoRoot, "Dockerfile"));
        var command = JsonArray(CmdLine().Match(dockerfile));
        var healthCheck = new Uri(HealthCheckUrl().Match(dockerfile).Groups["url"].Value);

        using var server = await StartAsync(command);

        Assert.Equal("serve", command[0]);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await GetAsync(server, healthCheck.PathAndQuery, "10.1.2.3:8080")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(server, HearsayRoutes.Live, "hearsay.example.internal")).StatusCode);
    }

    [Fact]
    public async Task KubernetesExample_ServeArgumentsAndProbes_FitTheCliAndPullTheModelsItServes()
    {
        var manifest = await File.ReadAllTextAsync(Path.Combine(TestPaths.RepoRoot, "deploy", "kubernetes", "hearsay.yaml"));
        var argumentLists = ArgsLine().Matches(manifest).Select(JsonArray).ToList();
        var pull = argumentLists.Single(arguments => arguments[0] == "models");
        var serve = argumentLists.Single(arguments => arguments[0] == "serve");
        var probes = ProbePath().Matches(manifest).Select(match => match.Groups["path"].Value).ToList();

        Assert.Equal(["models", "pull", ValueOf(serve, "--stt"), ValueOf(serve, "--tts")], pull);
        Assert.All(pull.Skip(2), id => Assert.NotNull(ModelCatalog.BuiltIn.Find(id)));
        Assert.Equal([HearsayRoutes.Live, HearsayRoutes.Ready + "?require=stt,tts"], probes);
        // The models are not in this empty store, so serve them as off: the probes' answers are what is checked.
        using var server = await StartAsync([.. WithValue(WithValue(serve, "--stt", "none"), "--tts", "none")]);
        Assert.All(
            await Task.WhenAll(probes.Select(path => GetAsync(server, path.Replace("require=stt,tts", string.Empty, StringComparison.Ordinal), "10.244.1.7:8080"))),
            response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(server, HearsayRoutes.Models, "hearsay.default.svc.cluster.local", withToken: true)).StatusCode);
    }

    /// <summary>Starts serve with <paramref name="arguments"/> (after "serve"), on a free port instead of 8080, with the secret's token.</summary>
    private async Task<SidecarProcess> StartAsync(IReadOnlyList<string> arguments)
    {
        var server = await SidecarProcess.StartAsync(
            WithValue(arguments, "--port", "0").Skip(1),
            new Dictionary<string, string?> { ["HEARSAY_TOKEN"] = Token, ["HEARSAY_MODELS_DIR"] = _store.Path });
        Assert.Equal(Token, server.Ready.Token);
        return server;
    }

    /// <summary>A request to the server on 127.0.0.1 (it listens on 0.0.0.0, which is no address to call) that names <paramref name="host"/>, as a probe or a client elsewhere would.</summary>
    private static async Task<HttpResponseMessage> GetAsync(SidecarProcess server, string path, string host, bool withToken = false)
    {
        using var client = server.Client(withToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://127.0.0.1:{new Uri(server.Ready.Url).Port}{path}"));
        request.Headers.Host = host;
        return await client.SendAsync(request);
    }

    private static string ValueOf(List<string> arguments, string option) => arguments[arguments.IndexOf(option) + 1];

    private static List<string> WithValue(IReadOnlyList<string> arguments, string option, string value)
    {
        var result = arguments.ToList();
        var index = result.IndexOf(option);
        Assert.True(index >= 0, $"{option} is not among {string.Join(' ', arguments)}");
        result[index + 1] = value;
        return result;
    }

    private static List<string> JsonArray(Match match)
    {
        Assert.True(match.Success, "the argument list was not found");
        return JsonSerializer.Deserialize<List<string>>(Regex.Replace(match.Groups["list"].Value, @"\s+", " "))!;
    }

    [GeneratedRegex(@"^CMD (?<list>\[.*\])$", RegexOptions.Multiline)]
    private static partial Regex CmdLine();

    [GeneratedRegex(@"HEALTHCHECK .*""(?<url>http://[^""]+)""")]
    private static partial Regex HealthCheckUrl();

    [GeneratedRegex(@"args: (?<list>\[[^\]]*\])")]
    private static partial Regex ArgsLine();

    [GeneratedRegex(@"path: (?<path>\S+)")]
    private static partial Regex ProbePath();
}
