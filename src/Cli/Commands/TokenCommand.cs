using System.ComponentModel;
using Spectre.Console.Cli;

namespace Orleans.Agent.Cli.Commands;

/// <summary><c>token &lt;user&gt;</c>: a development token, printed alone so that <c>export ORLEANS_AGENT_TOKEN=$(...)</c> works.</summary>
public sealed class TokenCommand : AsyncCommand<TokenCommand.Settings>
{
    public sealed class Settings : ApiSettings
    {
        [CommandArgument(0, "<USER_ID>")]
        [Description("The user the token is for (its subject).")]
        public required string UserId { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var api = settings.Client(signedIn: false);
        try
        {
            var answer = await api.DevToken(settings.UserId, cancellationToken);
            Console.Out.WriteLine(answer.GetProperty("token").GetString());
            return ExitCodes.Completed;
        }
        catch (AgentApiException ex) when (ex.Status == 404)
        {
            throw new AgentApiException($"The API at {api.BaseAddress} issues no development tokens (it is not in Development): {ex.Message}", 404);
        }
    }
}
