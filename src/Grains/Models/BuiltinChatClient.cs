using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace Orleans.Agent.Grains.Models;

/// <summary>
/// The offline model <c>builtin</c>: deterministic, no network. It follows the loop's markers (see
/// <see cref="LoopPrompts"/>): it plans three phases, lists the workspace, writes a landing page and a README
/// built from the task's key terms, reads the page back to review it, and reports what it made. Text is streamed
/// a few words at a time, like a real model, with <paramref name="chunkDelay"/> between pieces. Tokens are counted as
/// words read and written.
/// </summary>
public sealed partial class BuiltinChatClient(TimeSpan chunkDelay = default) : IChatClient
{
    private static readonly HashSet<string> StopWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "about", "after", "also", "and", "been", "before", "does", "each", "from", "have", "into", "make", "more",
        "must", "only", "over", "please", "should", "some", "such", "that", "than", "their", "them", "then", "there",
        "these", "they", "this", "very", "what", "when", "which", "while", "will", "with", "would", "your",
    };

    public async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        await GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken);

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var history = messages.ToList();
        var (text, calls) = Respond(history, options);
        var output = 0;
        foreach (var chunk in Chunks(text))
        {
            cancellationToken.ThrowIfCancellationRequested();
            output += Words(chunk);
            yield return new ChatResponseUpdate(ChatRole.Assistant, chunk);
            if (chunkDelay > TimeSpan.Zero)
            {
                await Task.Delay(chunkDelay, cancellationToken);
            }
            else
            {
                await Task.Yield();
            }
        }

        foreach (var call in calls)
        {
            output += call.Arguments?.Sum(a => Words(a.Value?.ToString() ?? "")) ?? 0;
            yield return new ChatResponseUpdate(ChatRole.Assistant, [call]);
        }

        var input = history.Sum(m => Words(m.Text));
        yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(new UsageDetails { InputTokenCount = input, OutputTokenCount = output })]);
    }

    /// <summary>Names the provider and model for telemetry (gen_ai.provider.name, gen_ai.request.model).</summary>
    private static readonly ChatClientMetadata Metadata = new(ModelOptions.BuiltinProvider, providerUri: null, defaultModelId: ModelOptions.BuiltinProvider);

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(ChatClientMetadata) ? Metadata
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }

    private static (string Text, List<FunctionCallContent> Calls) Respond(List<ChatMessage> history, ChatOptions? options)
    {
        var task = TaskText(history);
        var terms = KeyTerms(task);
        if (options?.Tools?.Any(t => t.Name == LoopPrompts.CreatePlanTool) == true)
        {
            return ($"I will work on \"{task}\" in three phases: understand, build and review.",
            [
                Call(LoopPrompts.CreatePlanTool, new()
                {
                    ["goal"] = task,
                    ["phases"] = new object[]
                    {
                        new Dictionary<string, string> { ["id"] = "understand", ["name"] = "Understand the request" },
                        new Dictionary<string, string> { ["id"] = "build", ["name"] = "Build the landing page" },
                        new Dictionary<string, string> { ["id"] = "review", ["name"] = "Review the result" },
                    },
                }),
            ]);
        }

        var lastUser = history.FindLastIndex(m => m.Role == ChatRole.User);
        var prompt = lastUser < 0 ? "" : history[lastUser].Text;
        var turn = history.Skip(lastUser + 1).Count(m => m.Role == ChatRole.Assistant);
        if (prompt.StartsWith(LoopPrompts.FinalMarker, StringComparison.Ordinal))
        {
            return ($"Created a landing page for \"{task}\": index.html (a hero, one section per key term: {string.Join(", ", terms)}) and README.md describing it.", []);
        }

        return (PhaseOf(prompt), turn) switch
        {
            ("understand", 0) => (
                $"The task is \"{task}\". Its key terms are {string.Join(", ", terms)}.\n\nFirst I check what the workspace already holds.",
                [Call("list_files", [])]),
            ("build", 0) => (
                $"I will write index.html with a hero and {terms.Count} sections, one per key term, and a README that explains the page.",
                [
                    Call("create_file", new() { ["path"] = "index.html", ["content"] = LandingPage(task, terms) }),
                    Call("create_file", new() { ["path"] = "README.md", ["content"] = $"# {task}\n\nA static landing page. Open index.html in a browser.\n\nSections: {string.Join(", ", terms)}.\n" }),
                ]),
            ("review", 0) => ("Reading the page back to check every key term has its section.", [Call("read_file", new() { ["path"] = "index.html" })]),
            ("understand", _) => ("The workspace is ready and the key terms are clear.", []),
            ("build", _) => ("index.html and README.md are written.", []),
            ("review", _) => (ReviewSummary(history, terms), []),
            _ => ("This phase needs no further work.", []),
        };
    }

    private static string ReviewSummary(List<ChatMessage> history, List<string> terms)
    {
        var page = history.SelectMany(m => m.Contents).OfType<FunctionResultContent>().LastOrDefault()?.Result?.ToString() ?? "";
        var covered = terms.Count(t => page.Contains($"<h2>{Title(t)}</h2>", StringComparison.Ordinal));
        return $"The page has a section for {covered} of {terms.Count} key terms.";
    }

    private static string LandingPage(string task, List<string> terms)
    {
        var html = new StringBuilder()
            .Append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
            .Append(WebUtility.HtmlEncode(task)).Append("</title>\n</head>\n<body>\n<header><h1>")
            .Append(WebUtility.HtmlEncode(task)).Append("</h1></header>\n");
        foreach (var term in terms)
        {
            html.Append("<section><h2>").Append(Title(term)).Append("</h2><p>Everything about ")
                .Append(WebUtility.HtmlEncode(term)).Append(".</p></section>\n");
        }

        return html.Append("</body>\n</html>\n").ToString();
    }

    private static string TaskText(List<ChatMessage> history)
    {
        var first = history.FirstOrDefault(m => m.Role == ChatRole.User)?.Text ?? "";
        var line = first.Split('\n')[0];
        return (line.StartsWith("Task: ", StringComparison.Ordinal) ? line["Task: ".Length..] : line).Trim();
    }

    private static string? PhaseOf(string prompt)
    {
        var match = PhasePattern().Match(prompt);
        return match.Success ? match.Groups[1].Value : null;
    }

    private static FunctionCallContent Call(string name, Dictionary<string, object?> arguments) =>
        new("call_" + Guid.NewGuid().ToString("N")[..12], name, arguments);

    /// <summary>Up to five distinct words of four letters or more that are not stop words, in order of appearance.</summary>
    private static List<string> KeyTerms(string text) =>
        WordPattern().Matches(text).Select(m => m.Value.ToLowerInvariant())
            .Where(w => w.Length >= 4 && !StopWords.Contains(w)).Distinct().Take(5).ToList();

    private static string Title(string term) => WebUtility.HtmlEncode(char.ToUpperInvariant(term[0]) + term[1..]);

    private static IEnumerable<string> Chunks(string text)
    {
        var words = text.Split(' ');
        for (var i = 0; i < words.Length; i += 3)
        {
            yield return string.Join(' ', words.Skip(i).Take(3)) + (i + 3 < words.Length ? " " : "");
        }
    }

    private static int Words(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    [GeneratedRegex(@"^\[phase ([^\]]+)\]")]
    private static partial Regex PhasePattern();

    [GeneratedRegex(@"[\p{L}\p{N}][\p{L}\p{N}'-]*")]
    private static partial Regex WordPattern();
}
