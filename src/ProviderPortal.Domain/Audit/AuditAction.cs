namespace ProviderPortal.Domain.Audit;

public enum AuditAction
{
    Created = 0,
    Updated = 1,
    Deleted = 2,
}
