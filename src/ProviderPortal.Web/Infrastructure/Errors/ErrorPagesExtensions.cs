using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Diagnostics;

namespace ProviderPortal.Web.Infrastructure.Errors;

/// <summary>
/// How the portal answers what it cannot serve, the same in every environment: an unexpected error with the error page
/// (<c>/Error</c>), an error status (404, 400...) with the status page (<c>/not-found</c>), both normal portal pages.
/// </summary>
public static partial class ErrorPagesExtensions
{
    public const string ErrorPath = "/Error";

    public const string StatusPath = "/not-found";

    /// <summary>First in the pipeline: the error page and the status page.</summary>
    public static IApplicationBuilder UsePortalErrorPages(this IApplicationBuilder app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandlingPath = ErrorPath,
            CreateScopeForErrors = true,

            // A malformed request (Development throws for those) is the client's: its own status, not a 500.
            StatusCodeSelector = exception => exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        app.UseStatusCodePagesWithReExecute(StatusPath, createScopeForStatusCodePages: true);

        // Both run the rest of the pipeline again with the request's own method. For a POST the page would then be a form
        // post itself, whose antiforgery token is validated again, and reading a form already refused throws: the handler
        // failed and the answer was an empty 500 (a stack trace in Development). The pages are shown as for a GET.
        app.Use(async (context, next) =>
        {
            var method = context.Request.Method;
            if (!IsReExecution(context) || HttpMethods.IsGet(method) || HttpMethods.IsHead(method))
            {
                await next(context);
                return;
            }

            context.Request.Method = HttpMethods.Get;
            try
            {
                await next(context);
            }
            finally
            {
                context.Request.Method = method;
            }
        });
        return app;
    }

    /// <summary>
    /// Right after the antiforgery middleware: a form posted without a valid token (a cross-site post, or a page left open
    /// across a sign-in) is refused with 400 before any endpoint reads it, so Blazor forms and the sign-out endpoint alike
    /// answer with the status page, and nothing is changed.
    /// </summary>
    public static IApplicationBuilder UseAntiforgeryRefusal(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ErrorPagesExtensions).FullName!);
        return app.Use(async (context, next) =>
        {
            if (context.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: false } && !IsReExecution(context))
            {
                LogRefused(logger, context.Request.Method, context.Request.Path);
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }

            await next(context);
        });
    }

    /// <summary>True while the error page or the status page is being rendered for a request.</summary>
    public static bool IsReExecution(HttpContext context) =>
        context.Features.Get<IExceptionHandlerFeature>() is not null || context.Features.Get<IStatusCodeReExecuteFeature>() is not null;

    [LoggerMessage(LogLevel.Information, "Refused {Method} {Path}: the form had no valid antiforgery token")]
    private static partial void LogRefused(ILogger logger, string method, PathString path);
}
