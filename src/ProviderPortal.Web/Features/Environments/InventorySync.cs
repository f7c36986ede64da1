using Microsoft.EntityFrameworkCore;
using ProviderPortal.Data;
using ProviderPortal.Domain.Environments;
using ProviderPortal.Domain.Environments.Connectors;

namespace ProviderPortal.Web.Features.Environments;

/// <summary>Makes the stored inventory of one environment equal what the platform reports: adds, updates and removes rows.</summary>
public sealed class InventorySync(PortalDbContext db, TimeProvider clock)
{
    public async Task<int> ApplyAsync(SourceEnvironment environment, IReadOnlyList<SourceVm> vms, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var existing = await db.InventoryVms.Where(v => v.EnvironmentId == environment.Id).ToDictionaryAsync(v => v.ExternalId, StringComparer.Ordinal, cancellationToken);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var vm in vms)
        {
            if (!seen.Add(vm.Id))
            {
                continue;
            }

            if (existing.TryGetValue(vm.Id, out var row))
            {
                row.Update(vm, now);
            }
            else
            {
                db.InventoryVms.Add(InventoryVm.Create(environment.Id, vm, now));
            }
        }

        db.InventoryVms.RemoveRange(existing.Values.Where(v => !seen.Contains(v.ExternalId)));
        environment.CompleteSync(seen.Count, now);
        await db.SaveChangesAsync(cancellationToken);
        return seen.Count;
    }
}
