using Microsoft.EntityFrameworkCore;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain;
using ProviderPortal.Domain.Environments;
using ProviderPortal.Domain.Environments.Connectors;

namespace ProviderPortal.Web.Features.Environments;

/// <summary>
/// A tenant's environments: register (after a connection test with explicit certificate trust, or explicitly
/// unverified), test again, sync, remove. The tenant filter hides other tenants' environments: their ids are not found.
/// </summary>
public sealed class EnvironmentService(
    PortalDbContext db,
    ITenantContext tenant,
    EnvironmentConnections connections,
    EnvironmentSecrets secrets,
    ICertificateProbe probe,
    InventorySyncScheduler scheduler,
    TimeProvider clock,
    ILogger<EnvironmentService> logger)
{
    private const string NotFound = "That environment does not exist.";

    public async Task<IReadOnlyList<EnvironmentRow>> ListAsync(CancellationToken cancellationToken = default)
    {
        RequireTenant();
        var rows = await db.Environments
            .Select(e => new EnvironmentRow(e.Id, e.Name, e.Kind, e.Endpoint, e.UserName, e.TrustedThumbprint, e.Status, e.LastError, e.SyncState,
                e.LastSyncStartedAt, e.LastSyncFinishedAt, e.LastSyncSucceededAt, e.LastSyncError, e.VmCount, e.SyncIntervalMinutes))
            .ToListAsync(cancellationToken);
        return rows.OrderBy(r => r.Name, StringComparer.CurrentCultureIgnoreCase).ToList();
    }

    public async Task<EnvironmentRow?> GetAsync(Guid id, CancellationToken cancellationToken = default) =>
        (await ListAsync(cancellationToken)).FirstOrDefault(r => r.Id == id);

    /// <summary>
    /// The dialog's test step. First the certificate alone (no credential is sent): unless the user has trusted
    /// exactly this one, the answer is <see cref="ConnectionCheck.NeedsTrust"/>. Then the login, pinned to it.
    /// </summary>
    public async Task<ConnectionCheck> CheckAsync(EnvironmentDraft draft, CancellationToken cancellationToken = default) =>
        await CheckAsync(draft, null, cancellationToken);

    /// <summary>The test step of the edit dialog: an empty secret means the stored one of <paramref name="existingId"/>.</summary>
    public async Task<ConnectionCheck> CheckAsync(EnvironmentDraft draft, Guid? existingId, CancellationToken cancellationToken = default)
    {
        RequireTenant();
        var stored = existingId is { } id ? await db.Environments.SingleOrDefaultAsync(e => e.Id == id, cancellationToken) : null;
        if (existingId is not null && stored is null)
        {
            return new ConnectionCheck { Errors = new Dictionary<string, string> { [""] = NotFound } };
        }

        var errors = Validate(draft, stored);
        if (errors.Count > 0)
        {
            return new ConnectionCheck { Errors = errors };
        }

        var secret = string.IsNullOrEmpty(draft.Secret) && stored?.ProtectedSecret is { } kept ? secrets.Unprotect(kept) : draft.Secret;
        var hypervisorSecret = string.IsNullOrEmpty(draft.HypervisorSecret) && stored?.ProtectedHypervisorSecret is { } keptHypervisor
            ? secrets.Unprotect(keptHypervisor) : draft.HypervisorSecret;

        if (draft.Kind == EnvironmentKind.Lab)
        {
            return new ConnectionCheck { Server = new ServerInfo("ProviderPortal lab", "built in", null) };
        }

        var endpoint = EnvironmentDetails.ParseEndpoint(draft.Endpoint)!;
        CertificateInfo certificate;
        try
        {
            certificate = await probe.GetCertificateAsync(endpoint, connections.RequestTimeout, cancellationToken);
        }
        catch (ConnectorException ex)
        {
            return Failed(ex, nameof(EnvironmentDraft.Endpoint));
        }

        if (draft.TrustedThumbprint is null)
        {
            return new ConnectionCheck { Certificate = certificate, NeedsTrust = true };
        }

        if (!string.Equals(draft.TrustedThumbprint, certificate.Thumbprint, StringComparison.Ordinal))
        {
            return new ConnectionCheck
            {
                Certificate = certificate,
                NeedsTrust = true,
                ErrorKind = ConnectorErrorKind.CertificateMismatch,
                Errors = new Dictionary<string, string> { [""] = "The server now presents a different certificate from the one you trusted. Check it below before trusting it." },
            };
        }

        HypervisorAccess? hypervisor = null;
        CertificateInfo? hypervisorCertificate = null;
        if (draft.HasHypervisor)
        {
            var address = EnvironmentDetails.ParseEndpoint(draft.HypervisorEndpoint)!;
            try
            {
                hypervisorCertificate = await probe.GetCertificateAsync(address, connections.RequestTimeout, cancellationToken);
            }
            catch (ConnectorException ex)
            {
                return Failed(ex, nameof(EnvironmentDraft.HypervisorEndpoint)) with { Certificate = certificate };
            }

            if (!string.Equals(draft.HypervisorThumbprint, hypervisorCertificate.Thumbprint, StringComparison.Ordinal))
            {
                return new ConnectionCheck
                {
                    Certificate = certificate,
                    HypervisorCertificate = hypervisorCertificate,
                    HypervisorNeedsTrust = true,
                    ErrorKind = draft.HypervisorThumbprint is null ? null : ConnectorErrorKind.CertificateMismatch,
                    Errors = draft.HypervisorThumbprint is null
                        ? new Dictionary<string, string>()
                        : new Dictionary<string, string> { [""] = "The pool master now presents a different certificate from the one you trusted. Check it below before trusting it." },
                };
            }

            hypervisor = new HypervisorAccess(address, draft.HypervisorUserName!.Trim(), hypervisorSecret!, draft.HypervisorThumbprint);
        }

        try
        {
            await using var connector = connections.Create(Guid.Empty, draft.Kind, endpoint, Clean(draft.UserName), secret, draft.TrustedThumbprint, hypervisor, Clean(draft.NbdUriTemplate));
            var server = await connector.TestConnectionAsync(cancellationToken);
            return new ConnectionCheck { Certificate = certificate, HypervisorCertificate = hypervisorCertificate, Server = server };
        }
        catch (ConnectorException ex)
        {
            // With a pool master, a refused login may be either one: the message names which.
            var field = ex.Kind == ConnectorErrorKind.BadCredentials && hypervisor is null ? nameof(EnvironmentDraft.Secret) : "";
            return Failed(ex, field) with { Certificate = certificate, HypervisorCertificate = hypervisorCertificate };
        }
    }

    /// <summary>
    /// Saves a new environment. Unless <paramref name="saveUnverified"/>, the connection is tested again here and
    /// nothing is saved when it fails; a verified environment's first inventory sync starts at once.
    /// </summary>
    public async Task<(ServiceResult Result, Guid? Id)> RegisterAsync(EnvironmentDraft draft, bool saveUnverified, CancellationToken cancellationToken = default)
    {
        RequireTenant();
        var errors = Validate(draft, null);
        if (errors.Count > 0)
        {
            return (ServiceResult.Fail(errors), null);
        }

        if (await NameTakenAsync(draft.Name, null, cancellationToken))
        {
            return (ServiceResult.Fail($"An environment named \"{draft.Name.Trim()}\" already exists.", nameof(EnvironmentDraft.Name)), null);
        }

        var verified = false;
        if (!saveUnverified)
        {
            var check = await CheckAsync(draft, cancellationToken);
            if (!check.Passed)
            {
                return (ServiceResult.Fail(check.Errors.Count > 0 ? check.Errors : new Dictionary<string, string> { [""] = "Trust the server's certificate first." }), null);
            }

            verified = true;
        }

        var secret = string.IsNullOrEmpty(draft.Secret) || draft.Kind == EnvironmentKind.Lab ? null : secrets.Protect(draft.Secret);
        SourceEnvironment environment;
        try
        {
            environment = SourceEnvironment.Register(draft.ToDetails(), secret, draft.TrustedThumbprint, verified, clock.GetUtcNow());
            environment.SetHypervisorAccess(ProtectOrKeep(draft.HypervisorSecret), draft.HypervisorThumbprint);
            environment.SetSyncInterval(draft.SyncIntervalMinutes);
        }
        catch (DomainException ex)
        {
            return (ServiceResult.Fail(ex.Message), null);
        }

        db.Environments.Add(environment);
        if (verified)
        {
            environment.QueueSync();
        }

        await db.SaveChangesAsync(cancellationToken);
        if (verified)
        {
            await scheduler.TriggerAsync(environment.TenantId, environment.Id, cancellationToken);
        }

        return (ServiceResult.Ok, environment.Id);
    }

    /// <summary>The edit dialog's starting point: everything but the secret, which is never decrypted for display.</summary>
    public async Task<EnvironmentDraft?> GetDraftAsync(Guid id, CancellationToken cancellationToken = default)
    {
        RequireTenant();
        var environment = await db.Environments.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, cancellationToken);
        return environment is null ? null : new EnvironmentDraft
        {
            Name = environment.Name,
            Kind = environment.Kind,
            Endpoint = environment.Endpoint,
            UserName = environment.UserName,
            TrustedThumbprint = environment.TrustedThumbprint,
            SyncIntervalMinutes = environment.SyncIntervalMinutes,
            NbdUriTemplate = environment.NbdUriTemplate,
            HypervisorEndpoint = environment.HypervisorEndpoint,
            HypervisorUserName = environment.HypervisorUserName,
            HypervisorThumbprint = environment.HypervisorThumbprint,
        };
    }

    /// <summary>
    /// Changes a saved environment: name, address, user, secret (empty keeps the stored one), trusted certificate,
    /// sync interval. Unless <paramref name="saveUnverified"/>, the new settings are tested first and nothing changes
    /// when the test fails.
    /// </summary>
    public async Task<ServiceResult> UpdateAsync(Guid id, EnvironmentDraft draft, bool saveUnverified, CancellationToken cancellationToken = default)
    {
        var environment = await FindAsync(id, cancellationToken);
        if (environment is null)
        {
            return ServiceResult.Fail(NotFound);
        }

        var errors = Validate(draft, environment);
        if (draft.SyncIntervalMinutes is < SourceEnvironment.MinSyncIntervalMinutes or > SourceEnvironment.MaxSyncIntervalMinutes)
        {
            errors[nameof(EnvironmentDraft.SyncIntervalMinutes)] = "Choose how often the inventory syncs.";
        }

        if (errors.Count > 0)
        {
            return ServiceResult.Fail(errors);
        }

        if (await NameTakenAsync(draft.Name, id, cancellationToken))
        {
            return ServiceResult.Fail($"An environment named \"{draft.Name.Trim()}\" already exists.", nameof(EnvironmentDraft.Name));
        }

        var verified = environment.IsLab;
        if (!saveUnverified && !environment.IsLab)
        {
            var check = await CheckAsync(draft, id, cancellationToken);
            if (!check.Passed)
            {
                return ServiceResult.Fail(check.Errors.Count > 0 ? check.Errors : new Dictionary<string, string> { [""] = "Trust the server's certificate first." });
            }

            verified = true;
        }

        var secret = string.IsNullOrEmpty(draft.Secret) ? null : secrets.Protect(draft.Secret);
        try
        {
            environment.Update(draft.ToDetails(), secret, draft.TrustedThumbprint, verified, clock.GetUtcNow());
            environment.SetHypervisorAccess(ProtectOrKeep(draft.HypervisorSecret), draft.HypervisorThumbprint);
            environment.SetSyncInterval(draft.SyncIntervalMinutes);
        }
        catch (DomainException ex)
        {
            return ServiceResult.Fail(ex.Message);
        }

        var startSync = verified && environment.CanSync;
        if (startSync)
        {
            environment.QueueSync();
        }

        await db.SaveChangesAsync(cancellationToken);
        if (startSync)
        {
            await scheduler.TriggerAsync(environment.TenantId, environment.Id, cancellationToken);
        }

        return ServiceResult.Ok;
    }

    /// <summary>Tests a saved environment with its stored credentials and pin, and records the outcome.</summary>
    public async Task<ServiceResult> RetestAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var environment = await FindAsync(id, cancellationToken);
        if (environment is null)
        {
            return ServiceResult.Fail(NotFound);
        }

        if (!environment.IsLab && environment.TrustedThumbprint is null)
        {
            return ServiceResult.Fail("No certificate has been trusted for this environment yet: edit it and test the connection.");
        }

        ServiceResult result;
        try
        {
            await using var connector = connections.Create(environment);
            await connector.TestConnectionAsync(cancellationToken);
            environment.MarkConnected(clock.GetUtcNow());
            result = ServiceResult.Ok;
        }
        catch (ConnectorException ex)
        {
            environment.MarkFailing(ex.Message, clock.GetUtcNow());
            result = ServiceResult.Fail(ex.Message);
        }

        await db.SaveChangesAsync(cancellationToken);
        return result;
    }

    public async Task<ServiceResult> SyncNowAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var environment = await FindAsync(id, cancellationToken);
        if (environment is null)
        {
            return ServiceResult.Fail(NotFound);
        }

        try
        {
            environment.QueueSync();
        }
        catch (DomainException ex)
        {
            return ServiceResult.Fail(ex.Message);
        }

        await db.SaveChangesAsync(cancellationToken);
        await scheduler.TriggerAsync(environment.TenantId, environment.Id, cancellationToken);
        return ServiceResult.Ok;
    }

    /// <summary>Forgets an environment and its inventory. Nothing on the environment itself is touched; a lab's own disks go with it.</summary>
    public async Task<ServiceResult> RemoveAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var environment = await FindAsync(id, cancellationToken);
        if (environment is null)
        {
            return ServiceResult.Fail(NotFound);
        }

        if (environment.SyncState == SyncState.Running)
        {
            return ServiceResult.Fail($"An inventory sync of {environment.Name} is running; remove it when the sync has finished.");
        }

        if (await db.MigrationPlans.AnyAsync(p => p.EnvironmentId == id, cancellationToken))
        {
            return ServiceResult.Fail($"Migration plans use {environment.Name}; remove them before the environment.");
        }

        db.Environments.Remove(environment);
        await db.SaveChangesAsync(cancellationToken);
        if (environment.IsLab)
        {
            DeleteLabFolder(environment.Id);
        }

        return ServiceResult.Ok;
    }

    private void DeleteLabFolder(Guid environmentId)
    {
        var root = connections.LabRoot(environmentId);
        try
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
        catch (IOException ex)
        {
            logger.LogWarning(ex, "The lab folder of environment {EnvironmentId} could not be deleted.", environmentId);
        }
    }

    /// <summary>The form's errors; <paramref name="stored"/> is the environment being edited, whose secrets an empty field keeps.</summary>
    private static Dictionary<string, string> Validate(EnvironmentDraft draft, SourceEnvironment? stored)
    {
        var errors = draft.ToDetails().Validate().ToDictionary();
        foreach (var (field, secret) in new[] { (nameof(EnvironmentDraft.Secret), draft.Secret), (nameof(EnvironmentDraft.HypervisorSecret), draft.HypervisorSecret) })
        {
            if (secret?.Length > EnvironmentDetails.MaxSecretLength)
            {
                errors[field] = $"The password or token can be at most {EnvironmentDetails.MaxSecretLength} characters.";
            }
        }

        if (errors.ContainsKey(nameof(EnvironmentDraft.Secret)))
        {
            return errors;
        }

        if (draft.HasHypervisor && string.IsNullOrEmpty(draft.HypervisorSecret) && stored?.ProtectedHypervisorSecret is null)
        {
            errors[nameof(EnvironmentDraft.HypervisorSecret)] = "Enter the pool master's password.";
        }

        if (stored?.ProtectedSecret is not null && string.IsNullOrEmpty(draft.Secret))
        {
            return errors;
        }

        if (draft.Kind == EnvironmentKind.VCenter && string.IsNullOrEmpty(draft.Secret))
        {
            errors[nameof(EnvironmentDraft.Secret)] = "Enter the password of the vCenter user.";
        }
        else if (draft.Kind == EnvironmentKind.XenOrchestra && string.IsNullOrWhiteSpace(draft.Secret))
        {
            errors[nameof(EnvironmentDraft.Secret)] = "Enter a Xen Orchestra authentication token (xo-cli create-token, or your XO user settings).";
        }

        return errors;
    }

    private string? ProtectOrKeep(string? secret) => string.IsNullOrEmpty(secret) ? null : secrets.Protect(secret);

    private static ConnectionCheck Failed(ConnectorException ex, string field) => new()
    {
        ErrorKind = ex.Kind,
        Errors = new Dictionary<string, string> { [field] = ex.Message },
    };

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private async Task<bool> NameTakenAsync(string name, Guid? except, CancellationToken cancellationToken)
    {
        var trimmed = name.Trim();
        var names = await db.Environments.Where(e => except == null || e.Id != except).Select(e => e.Name).ToListAsync(cancellationToken);
        return names.Contains(trimmed, StringComparer.OrdinalIgnoreCase);
    }

    private Task<SourceEnvironment?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        RequireTenant();
        return db.Environments.SingleOrDefaultAsync(e => e.Id == id, cancellationToken);
    }

    private Guid RequireTenant() =>
        tenant.TenantId ?? throw new InvalidOperationException("Environments belong to a tenant; this user has none.");
}
