namespace Orleans.Agent.Api.Http;

/// <summary>
/// The live console (clients/web, built by the project file into <c>wwwroot</c>) served at <c>/</c>. Every file is
/// revalidated on each load (its ETag makes that a 304), so a new build shows at once; the files are small.
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
                headers.CacheControl = "no-cache";
                if (file.File.Name.EndsWith(".html", StringComparison.OrdinalIgnoreCase))
                {
                    headers.ContentSecurityPolicy = ContentSecurityPolicy;
                    headers["Referrer-Policy"] = "no-referrer";
                }
            },
        });
        return app;
    }
}
