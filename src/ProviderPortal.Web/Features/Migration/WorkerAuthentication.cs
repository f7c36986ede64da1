using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain.Tenants;
using ProviderPortal.Domain.Workers;
using ProviderPortal.Domain.Workers.Protocol;

namespace ProviderPortal.Web.Features.Migration;

/// <summary>
/// Authenticates a worker by its tenant token: <c>Authorization: Bearer ppw_…</c> (or <c>access_token</c> in the query,
/// which SignalR uses where headers cannot be set), looked up by its SHA-256. A revoked token or a suspended tenant is
/// refused. The principal names the token and its tenant, and nothing else: it is not a user and opens no page.
/// </summary>
public sealed class WorkerAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IServiceScopeFactory scopes)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "WorkerToken";
    public const string TokenIdClaim = "portal:worker-token";
    public const string TenantIdClaim = "portal:worker-tenant";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var secret = Request.Headers.Authorization.ToString() is { } header && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? header["Bearer ".Length..].Trim()
            : Request.Path.StartsWithSegments(WorkerProtocol.HubPath) ? Request.Query["access_token"].ToString() : "";
        if (string.IsNullOrEmpty(secret))
        {
            return AuthenticateResult.NoResult();
        }

        if (!secret.StartsWith(WorkerToken.Prefix, StringComparison.Ordinal) || secret.Length > 100)
        {
            return AuthenticateResult.Fail("Not a worker token.");
        }

        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantScope>().UseSystem("worker authentication");
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var hash = WorkerToken.HashOf(secret);
        var token = await db.WorkerTokens.AsNoTracking().SingleOrDefaultAsync(t => t.Hash == hash, Context.RequestAborted);
        if (token is null || token.IsRevoked)
        {
            // The same answer for an unknown and a revoked token: nothing to learn by guessing.
            return AuthenticateResult.Fail("The worker token is not valid.");
        }

        var tenant = await db.Tenants.AsNoTracking().SingleOrDefaultAsync(t => t.Id == token.TenantId, Context.RequestAborted);
        if (tenant is null || tenant.Status != TenantStatus.Active)
        {
            return AuthenticateResult.Fail("The worker token is not valid.");
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(TokenIdClaim, token.Id.ToString()),
                new Claim(TenantIdClaim, token.TenantId.ToString()),
                new Claim(ClaimTypes.Name, $"worker token \"{token.Name}\""),
            ],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    /// <summary>
    /// 401 with a plain sentence (a body, so the portal's error pages for browsers leave it alone): a worker's operator
    /// reads it in the worker's log.
    /// </summary>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        Response.ContentType = "text/plain; charset=utf-8";
        await Response.WriteAsync("A valid worker token is needed: issue one on the portal's Workers page (a revoked token no longer works).");
    }

    /// <summary>The worker's token and tenant, from a principal this handler made.</summary>
    public static (Guid TokenId, Guid TenantId) Read(ClaimsPrincipal? user) =>
        Guid.TryParse(user?.FindFirstValue(TokenIdClaim), out var token) && Guid.TryParse(user?.FindFirstValue(TenantIdClaim), out var tenant)
            ? (token, tenant)
            : throw new InvalidOperationException("Not a worker principal.");
}
