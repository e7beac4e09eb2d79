namespace Orleans.Agent.Api.Http;

/// <summary>
/// The live console (clients/web, built by the project file into <c>wwwroot</c>) served at <c>/</c>. Its file names
/// carry a content hash, so everything but <c>index.html</c> is cached for good; the page itself is never cached,
/// so a new build shows on the next load.
/// </summary>
public static class WebConsoleExtensions
{
    /// <summary>
    /// No inline script or style anywhere in the build, so the page runs under a policy that only loads this
    /// origin's files and talks only to this origin (the API and its event streams).
    /// </summary>
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static WebApplication UseAgentWebConsole(this WebApplication app)
    {
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = file =>
            {
                var headers = file.Context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                if (file.File.Name.EndsWith(".html", StringComparison.OrdinalIgnoreCase))
                {
                    headers.ContentSecurityPolicy = ContentSecurityPolicy;
                    headers.CacheControl = "no-cache";
                    headers["Referrer-Policy"] = "no-referrer";
                }
                else
                {
                    headers.CacheControl = $"public, max-age={TimeSpan.FromDays(365).TotalSeconds}, immutable";
                }
            },
        });
        return app;
    }
}
