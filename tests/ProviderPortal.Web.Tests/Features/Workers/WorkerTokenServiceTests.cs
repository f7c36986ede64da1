using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain.Workers;
using ProviderPortal.Web.Features.Workers;
using ProviderPortal.Web.Features;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Features.Workers;

/// <summary>
/// Worker tokens: a TenantAdmin makes and revokes them, a member only sees them; the secret is returned once and is found
/// neither in the database nor in the logs; another tenant's token "does not exist".
/// </summary>
public sealed class WorkerTokenServiceTests(WorkerTokenServiceTests.TwoTenants fixture) : IClassFixture<WorkerTokenServiceTests.TwoTenants>
{
    public sealed class TwoTenants : IAsyncLifetime
    {
        public PortalFactory Factory { get; } = new();

        public TestTenant A { get; private set; } = default!;

        public TestTenant B { get; private set; } = default!;

        public async Task InitializeAsync()
        {
            A = await Factory.CreateTenantAsync("tokens-a");
            B = await Factory.CreateTenantAsync("tokens-b");
        }

        public Task DisposeAsync()
        {
            Factory.Dispose();
            return Task.CompletedTask;
        }
    }

    private PortalFactory Factory => fixture.Factory;

    private Task<(ServiceResult Result, string? Secret)> CreateAsync(System.Security.Claims.ClaimsPrincipal user, string name) =>
        Factory.AsUserAsync(user, s => s.GetRequiredService<WorkerTokenService>().CreateAsync(name));

    private Task<ServiceResult> RevokeAsync(System.Security.Claims.ClaimsPrincipal user, Guid id) =>
        Factory.AsUserAsync(user, s => s.GetRequiredService<WorkerTokenService>().RevokeAsync(id));

    private Task<WorkersOverview> ListAsync(System.Security.Claims.ClaimsPrincipal user) =>
        Factory.AsUserAsync(user, s => s.GetRequiredService<WorkerTokenService>().ListAsync());

    private Task<WorkerToken?> RowAsync(string name) =>
        Factory.AsSystemAsync(s => s.GetRequiredService<PortalDbContext>().WorkerTokens.AsNoTracking().SingleOrDefaultAsync(t => t.Name == name));

    /// <summary>Every byte of the SQLite database, its journal and write-ahead log.</summary>
    private string DatabaseText()
    {
        var text = new System.Text.StringBuilder();
        foreach (var file in Directory.GetFiles(Factory.DataDirectory, "*.db*", SearchOption.AllDirectories))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, System.Text.Encoding.Latin1);
            text.Append(reader.ReadToEnd());
        }

        return text.ToString();
    }

    [Fact]
    public async Task CreateAsync_TenantAdmin_SecretReturnedOnceOnlyItsHashStored()
    {
        var (result, secret) = await CreateAsync(TestUsers.AdminOf(fixture.A), "appliance in Frankfurt");

        Assert.True(result.Succeeded, result.Message);
        Assert.NotNull(secret);
        Assert.StartsWith(WorkerToken.Prefix, secret);
        var row = await RowAsync("appliance in Frankfurt");
        Assert.NotNull(row);
        Assert.Equal(WorkerToken.HashOf(secret), row.Hash);
        Assert.Equal(fixture.A.Id, row.TenantId);
        Assert.Equal(fixture.A.Admin.Email, row.CreatedBy);
        Assert.False(row.IsLocal);
        Assert.StartsWith(row.Hint, secret);
        Assert.NotEqual(secret, row.Hint);
    }

    [Fact]
    public async Task CreateAsync_Secret_NeverInTheDatabaseNorTheLogs()
    {
        var (result, secret) = await CreateAsync(TestUsers.AdminOf(fixture.A), "never-stored");
        Assert.True(result.Succeeded, result.Message);
        var row = await RowAsync("never-stored");
        await RevokeAsync(TestUsers.AdminOf(fixture.A), row!.Id);

        var database = DatabaseText();
        Assert.Contains(row.Hash, database);
        Assert.DoesNotContain(secret!, database);
        Assert.DoesNotContain(secret![WorkerToken.Prefix.Length..], database);
        var logs = Factory.Logs.Entries;
        Assert.Contains(logs, e => e.Contains(row.Id.ToString(), StringComparison.Ordinal));
        Assert.DoesNotContain(logs, e => e.Contains(secret[WorkerToken.Prefix.Length..], StringComparison.Ordinal));
    }

    [Fact]
    public async Task CreateAsync_TenantMember_RefusedAndNothingSaved()
    {
        var (result, secret) = await CreateAsync(TestUsers.MemberOf(fixture.A), "by-member");

        Assert.False(result.Succeeded);
        Assert.Equal("Only an administrator of your organisation can create or revoke worker tokens.", result.Message);
        Assert.Null(secret);
        Assert.Null(await RowAsync("by-member"));
    }

    [Fact]
    public async Task CreateAsync_NoName_PlainMessage()
    {
        var (result, secret) = await CreateAsync(TestUsers.AdminOf(fixture.A), "  ");

        Assert.Equal("Name the token after the worker that will use it, such as \"appliance in Frankfurt\".", result.Errors["Name"]);
        Assert.Null(secret);
    }

    [Fact]
    public async Task CreateAsync_SameNameAsAnActiveToken_Refused()
    {
        Assert.True((await CreateAsync(TestUsers.AdminOf(fixture.A), "twice")).Result.Succeeded);

        var (result, _) = await CreateAsync(TestUsers.AdminOf(fixture.A), "TWICE");

        Assert.Contains("already exists", result.Errors["Name"]);
    }

    [Fact]
    public async Task RevokeAsync_OwnToken_RevokedAndNotTwice()
    {
        await CreateAsync(TestUsers.AdminOf(fixture.A), "to-revoke");
        var row = await RowAsync("to-revoke");

        var first = await RevokeAsync(TestUsers.AdminOf(fixture.A), row!.Id);
        var second = await RevokeAsync(TestUsers.AdminOf(fixture.A), row.Id);

        Assert.True(first.Succeeded, first.Message);
        Assert.Equal("The token \"to-revoke\" is already revoked.", second.Message);
        Assert.NotNull((await RowAsync("to-revoke"))!.RevokedAt);
        Assert.NotNull(Assert.Single((await ListAsync(TestUsers.MemberOf(fixture.A))).Tokens, t => t.Id == row.Id).RevokedAt);
    }

    [Fact]
    public async Task RevokeAsync_TenantMember_RefusedAndStillActive()
    {
        await CreateAsync(TestUsers.AdminOf(fixture.A), "member-cannot-revoke");
        var row = await RowAsync("member-cannot-revoke");

        var result = await RevokeAsync(TestUsers.MemberOf(fixture.A), row!.Id);

        Assert.Equal("Only an administrator of your organisation can create or revoke worker tokens.", result.Message);
        Assert.Null((await RowAsync("member-cannot-revoke"))!.RevokedAt);
    }

    [Fact]
    public async Task RevokeAsync_OtherTenantsToken_DoesNotExistAndStillActive()
    {
        await CreateAsync(TestUsers.AdminOf(fixture.B), "bravo-appliance");
        var row = await RowAsync("bravo-appliance");

        var result = await RevokeAsync(TestUsers.AdminOf(fixture.A), row!.Id);

        Assert.Equal("That token does not exist.", result.Message);
        Assert.Null((await RowAsync("bravo-appliance"))!.RevokedAt);
    }

    [Fact]
    public async Task RevokeAsync_LocalToken_RefusedAsManagedByThePortal()
    {
        var id = await Factory.AsSystemAsync(async s =>
        {
            var db = s.GetRequiredService<PortalDbContext>();
            s.GetRequiredService<TenantScope>().UseTenant(fixture.A.Id);
            var (token, _) = WorkerToken.Issue(fixture.A.Id, "local worker", "portal", isLocal: true, DateTimeOffset.UtcNow);
            db.WorkerTokens.Add(token);
            await db.SaveChangesAsync();
            return token.Id;
        });

        var result = await RevokeAsync(TestUsers.AdminOf(fixture.A), id);

        Assert.Contains("managed by the portal", result.Message);
        Assert.True(Assert.Single((await ListAsync(TestUsers.AdminOf(fixture.A))).Tokens, t => t.Id == id).IsLocal);
    }

    [Fact]
    public async Task ListAsync_Member_OwnTokensAndConnectedWorkersOnly()
    {
        await CreateAsync(TestUsers.AdminOf(fixture.A), "alpha-listed");
        await CreateAsync(TestUsers.AdminOf(fixture.B), "bravo-unlisted");
        async Task OpenSession(TestTenant tenant, string tokenName, string worker, bool close)
        {
            await Factory.AsSystemAsync(async s =>
            {
                var db = s.GetRequiredService<PortalDbContext>();
                var token = await db.WorkerTokens.SingleAsync(t => t.Name == tokenName);
                s.GetRequiredService<TenantScope>().UseTenant(tenant.Id);
                var session = WorkerSession.Open(token, Guid.NewGuid().ToString("N"), "node-1", worker, "1.2.3", 4, null, DateTimeOffset.UtcNow);
                if (close)
                {
                    session.Close(DateTimeOffset.UtcNow);
                }

                db.WorkerSessions.Add(session);
                await db.SaveChangesAsync();
                return 0;
            });
        }

        await OpenSession(fixture.A, "alpha-listed", "alpha-worker", close: false);
        await OpenSession(fixture.A, "alpha-listed", "alpha-gone", close: true);
        await OpenSession(fixture.B, "bravo-unlisted", "bravo-worker", close: false);

        var overview = await ListAsync(TestUsers.MemberOf(fixture.A));

        Assert.Contains(overview.Tokens, t => t.Name == "alpha-listed");
        Assert.DoesNotContain(overview.Tokens, t => t.Name == "bravo-unlisted");
        var session = Assert.Single(overview.Sessions);
        Assert.Equal("alpha-worker", session.WorkerName);
        Assert.Equal("alpha-listed", session.TokenName);
        Assert.False(session.IsLocal);
    }

    [Fact]
    public async Task ListAsync_ThePortalsOwnWorker_NamesNoProviderServer()
    {
        const string node = "pp-node-internal-7";
        await Factory.AsSystemAsync(async s =>
        {
            var db = s.GetRequiredService<PortalDbContext>();
            s.GetRequiredService<TenantScope>().UseTenant(fixture.B.Id);
            var (token, _) = WorkerToken.Issue(fixture.B.Id, $"local worker on {node}", "portal", isLocal: true, DateTimeOffset.UtcNow);
            db.WorkerTokens.Add(token);
            db.WorkerSessions.Add(WorkerSession.Open(token, Guid.NewGuid().ToString("N"), node, $"local-{node}", "1.2.3", 2, 4242, DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
            return 0;
        });

        var overview = await ListAsync(TestUsers.AdminOf(fixture.B));

        Assert.DoesNotContain(node, System.Text.Json.JsonSerializer.Serialize(overview));
        Assert.Equal("The portal's worker", Assert.Single(overview.Sessions, s => s.IsLocal).WorkerName);
        Assert.Contains(overview.Tokens, t => t.IsLocal && t.Name == "The portal's worker");
    }
}
