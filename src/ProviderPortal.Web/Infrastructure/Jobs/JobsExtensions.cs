using ProviderPortal.Web.Features.Assessments;
using ProviderPortal.Web.Features.Email;
using ProviderPortal.Web.Features.Environments;
using ProviderPortal.Web.Features.Invitations;
using ProviderPortal.Web.Features.Migration;
using ProviderPortal.Web.Features.Windows;
using ProviderPortal.Web.Infrastructure.Data;
using Quartz;

namespace ProviderPortal.Web.Infrastructure.Jobs;

public static class JobsExtensions
{
    /// <summary>
    /// Quartz with its persistent ADO.NET store in the portal's database (SQLite by default, SQL Server
    /// in production); Scheduler:Clustered switches clustering on for several portal nodes, Scheduler:Enabled off keeps
    /// this node from running jobs at all.
    /// </summary>
    public static IServiceCollection AddPortalJobs(this IServiceCollection services, IConfiguration configuration, DatabaseSettings database)
    {
        var clustered = configuration.GetValue("Scheduler:Clustered", false);
        if (clustered && database.IsSqlite)
        {
            // Quartz refuses clustering on SQLite (file locking); several nodes need SQL Server.
            throw new InvalidOperationException("Scheduler:Clustered needs Database:Provider SqlServer; SQLite serves one portal node.");
        }

        var emailInterval = Math.Max(1, configuration.GetValue("Email:SendIntervalSeconds", 10));
        var invitationInterval = Math.Max(1, configuration.GetValue("Invitations:ExpiryCheckSeconds", 300));
        var dispatchInterval = Math.Max(1, configuration.GetValue("Replication:DispatchSeconds", 5));
        var syncCheckInterval = Math.Max(1, configuration.GetValue("Environments:SyncCheckSeconds", 60));
        var windowInterval = Math.Max(1, configuration.GetValue("Windows:CheckSeconds", 30));

        services.AddQuartz(configuration["Scheduler:Name"] ?? "ProviderPortal", q =>
        {
            q.UsePersistentStore(store =>
            {
                if (database.IsSqlite)
                {
                    store.UseSqlite(database.ConnectionString);
                }
                else
                {
                    store.UseSqlServer(database.ConnectionString);
                }

                store.UseSystemTextJsonSerializer();
                if (clustered)
                {
                    store.UseClustering();
                }
            });

            q.ScheduleJob<SendOutboxJob>(
                trigger => trigger.WithIdentity("send-outbox-every", "email").StartNow().WithSimpleSchedule(TimeSpan.FromSeconds(emailInterval)),
                job => job.WithIdentity(SendOutboxJob.Key));
            q.ScheduleJob<ExpireInvitationsJob>(
                trigger => trigger.WithIdentity("expire-invitations-every", "invitations").StartNow().WithSimpleSchedule(TimeSpan.FromSeconds(invitationInterval)),
                job => job.WithIdentity(ExpireInvitationsJob.Key));

            // Inventory syncs: one durable job, started per environment by a trigger carrying its ids.
            q.AddJob<SyncInventoryJob>(job => job.WithIdentity(SyncInventoryJob.Key).StoreDurably());

            // Assessment sampling: one durable job, one repeating trigger per observing assessment.
            q.AddJob<SampleAssessmentJob>(job => job.WithIdentity(SampleAssessmentJob.Key).StoreDurably());

            // Replication: the dispatcher every few seconds (and when nudged), one trigger per plan for its cycles, one per
            // cutover. A cutover that was running on a node that died is run again by another (it picks up where the plan is).
            q.ScheduleJob<DispatchCopiesJob>(
                trigger => trigger.WithIdentity("dispatch-copies-every", "replication").StartNow().WithSimpleSchedule(TimeSpan.FromSeconds(dispatchInterval)),
                job => job.WithIdentity(ReplicationScheduler.DispatchJob));
            q.AddJob<RunCycleJob>(job => job.WithIdentity(ReplicationScheduler.CycleJob).StoreDurably());
            q.AddJob<CutoverJob>(job => job.WithIdentity(ReplicationScheduler.CutoverJob).StoreDurably().RequestRecovery());

            // Cutover windows: approved ones start their plan's cutover (or are missed), remind, and are flagged at risk.
            q.ScheduleJob<WindowClockJob>(
                trigger => trigger.WithIdentity("window-clock-every", "windows").StartNow().WithSimpleSchedule(TimeSpan.FromSeconds(windowInterval)),
                job => job.WithIdentity(WindowClockJob.Key));
            if (configuration.GetValue("Environments:PeriodicSync", true))
            {
                q.ScheduleJob<QueueDueSyncsJob>(
                    trigger => trigger.WithIdentity("queue-due-syncs-every", "environments").StartNow().WithSimpleSchedule(TimeSpan.FromSeconds(syncCheckInterval)),
                    job => job.WithIdentity(QueueDueSyncsJob.Key));
            }
        });

        // Scheduler:Enabled false: this node stores and triggers jobs but never runs them (a second node on the same
        // SQLite file, which Quartz cannot share as a cluster: only one node may run the scheduler there).
        if (configuration.GetValue("Scheduler:Enabled", true))
        {
            services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        }

        services.AddSingleton<PortalScheduler>();
        return services;
    }
}
