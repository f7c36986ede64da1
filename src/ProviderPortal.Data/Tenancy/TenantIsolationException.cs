namespace ProviderPortal.Data.Tenancy;

/// <summary>A write touched a row of another tenant, or a tenant-owned row outside any tenant scope.</summary>
public sealed class TenantIsolationException(string message) : InvalidOperationException(message);
