namespace Orleans.Agent.Api.Http;

/// <summary>
/// Headers for what an execution's tools wrote (a model chose its bytes): opened from this API's origin, a page must
/// not run script, load anything, or learn the URL it was opened with (which may carry a stream token).
/// </summary>
public static class UntrustedContent
{
    /// <summary>
    /// <c>sandbox</c> gives the document an opaque origin of its own, with no script, forms or popups, even when it is
    /// opened directly rather than in a sandboxed frame; inline styles and data: images still show.
    /// </summary>
    public const string ContentSecurityPolicy = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:";

    public static void Protect(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.CacheControl = "private, no-store";
    }
}
