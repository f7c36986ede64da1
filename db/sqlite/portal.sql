CREATE TABLE IF NOT EXISTS "__EFMigrationsHistory" (
    "MigrationId" TEXT NOT NULL CONSTRAINT "PK___EFMigrationsHistory" PRIMARY KEY,
    "ProductVersion" TEXT NOT NULL
);

BEGIN TRANSACTION;
CREATE TABLE "AspNetRoles" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_AspNetRoles" PRIMARY KEY,
    "Name" TEXT NULL,
    "NormalizedName" TEXT NULL,
    "ConcurrencyStamp" TEXT NULL
);

CREATE TABLE "AuditEntries" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_AuditEntries" PRIMARY KEY,
    "TenantId" TEXT NULL,
    "UserId" TEXT NULL,
    "UserName" TEXT NOT NULL,
    "EntityType" TEXT NOT NULL,
    "EntityId" TEXT NOT NULL,
    "Action" TEXT NOT NULL,
    "Changes" TEXT NOT NULL,
    "At" INTEGER NOT NULL
);

CREATE TABLE "OutboxMessages" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_OutboxMessages" PRIMARY KEY,
    "TenantId" TEXT NULL,
    "ToAddress" TEXT NOT NULL,
    "Subject" TEXT NOT NULL,
    "HtmlBody" TEXT NOT NULL,
    "TextBody" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "Attempts" INTEGER NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "NextAttemptAt" INTEGER NOT NULL,
    "SentAt" INTEGER NULL,
    "LastError" TEXT NULL
);

CREATE TABLE "Tenants" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Tenants" PRIMARY KEY,
    "Name" TEXT NOT NULL,
    "Slug" TEXT NOT NULL,
    "ContactName" TEXT NOT NULL,
    "ContactEmail" TEXT NOT NULL,
    "TimeZoneId" TEXT NOT NULL,
    "MaxConcurrentReplications" INTEGER NOT NULL,
    "BandwidthCapMbps" INTEGER NOT NULL,
    "Status" TEXT NOT NULL,
    "SuspensionReason" TEXT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "SuspendedAt" INTEGER NULL
);

CREATE TABLE "AspNetRoleClaims" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AspNetRoleClaims" PRIMARY KEY AUTOINCREMENT,
    "RoleId" TEXT NOT NULL,
    "ClaimType" TEXT NULL,
    "ClaimValue" TEXT NULL,
    CONSTRAINT "FK_AspNetRoleClaims_AspNetRoles_RoleId" FOREIGN KEY ("RoleId") REFERENCES "AspNetRoles" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AspNetUsers" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_AspNetUsers" PRIMARY KEY,
    "TenantId" TEXT NULL,
    "DisplayName" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "UserName" TEXT NULL,
    "NormalizedUserName" TEXT NULL,
    "Email" TEXT NULL,
    "NormalizedEmail" TEXT NULL,
    "EmailConfirmed" INTEGER NOT NULL,
    "PasswordHash" TEXT NULL,
    "SecurityStamp" TEXT NULL,
    "ConcurrencyStamp" TEXT NULL,
    "PhoneNumber" TEXT NULL,
    "PhoneNumberConfirmed" INTEGER NOT NULL,
    "TwoFactorEnabled" INTEGER NOT NULL,
    "LockoutEnd" INTEGER NULL,
    "LockoutEnabled" INTEGER NOT NULL,
    "AccessFailedCount" INTEGER NOT NULL,
    CONSTRAINT "FK_AspNetUsers_Tenants_TenantId" FOREIGN KEY ("TenantId") REFERENCES "Tenants" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "Invitations" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Invitations" PRIMARY KEY,
    "TenantId" TEXT NOT NULL,
    "Email" TEXT NOT NULL,
    "Role" TEXT NOT NULL,
    "TokenHash" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "InvitedBy" TEXT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "ExpiresAt" INTEGER NOT NULL,
    "ClosedAt" INTEGER NULL,
    CONSTRAINT "FK_Invitations_Tenants_TenantId" FOREIGN KEY ("TenantId") REFERENCES "Tenants" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AspNetUserClaims" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AspNetUserClaims" PRIMARY KEY AUTOINCREMENT,
    "UserId" TEXT NOT NULL,
    "ClaimType" TEXT NULL,
    "ClaimValue" TEXT NULL,
    CONSTRAINT "FK_AspNetUserClaims_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AspNetUserLogins" (
    "LoginProvider" TEXT NOT NULL,
    "ProviderKey" TEXT NOT NULL,
    "ProviderDisplayName" TEXT NULL,
    "UserId" TEXT NOT NULL,
    CONSTRAINT "PK_AspNetUserLogins" PRIMARY KEY ("LoginProvider", "ProviderKey"),
    CONSTRAINT "FK_AspNetUserLogins_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AspNetUserRoles" (
    "UserId" TEXT NOT NULL,
    "RoleId" TEXT NOT NULL,
    CONSTRAINT "PK_AspNetUserRoles" PRIMARY KEY ("UserId", "RoleId"),
    CONSTRAINT "FK_AspNetUserRoles_AspNetRoles_RoleId" FOREIGN KEY ("RoleId") REFERENCES "AspNetRoles" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_AspNetUserRoles_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AspNetUserTokens" (
    "UserId" TEXT NOT NULL,
    "LoginProvider" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "Value" TEXT NULL,
    CONSTRAINT "PK_AspNetUserTokens" PRIMARY KEY ("UserId", "LoginProvider", "Name"),
    CONSTRAINT "FK_AspNetUserTokens_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_AspNetRoleClaims_RoleId" ON "AspNetRoleClaims" ("RoleId");

CREATE UNIQUE INDEX "RoleNameIndex" ON "AspNetRoles" ("NormalizedName");

CREATE INDEX "IX_AspNetUserClaims_UserId" ON "AspNetUserClaims" ("UserId");

CREATE INDEX "IX_AspNetUserLogins_UserId" ON "AspNetUserLogins" ("UserId");

CREATE INDEX "IX_AspNetUserRoles_RoleId" ON "AspNetUserRoles" ("RoleId");

CREATE INDEX "EmailIndex" ON "AspNetUsers" ("NormalizedEmail");

CREATE INDEX "IX_AspNetUsers_TenantId" ON "AspNetUsers" ("TenantId");

CREATE UNIQUE INDEX "UserNameIndex" ON "AspNetUsers" ("NormalizedUserName");

CREATE INDEX "IX_AuditEntries_At" ON "AuditEntries" ("At");

CREATE INDEX "IX_AuditEntries_TenantId_At" ON "AuditEntries" ("TenantId", "At");

CREATE INDEX "IX_Invitations_Status_ExpiresAt" ON "Invitations" ("Status", "ExpiresAt");

CREATE INDEX "IX_Invitations_TenantId_Status" ON "Invitations" ("TenantId", "Status");

CREATE UNIQUE INDEX "IX_Invitations_TokenHash" ON "Invitations" ("TokenHash");

CREATE INDEX "IX_OutboxMessages_Status_NextAttemptAt" ON "OutboxMessages" ("Status", "NextAttemptAt");

CREATE UNIQUE INDEX "IX_Tenants_Slug" ON "Tenants" ("Slug");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261123182355_Initial', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
CREATE TABLE "Environments" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Environments" PRIMARY KEY,
    "TenantId" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "Endpoint" TEXT NULL,
    "UserName" TEXT NULL,
    "ProtectedSecret" TEXT NULL,
    "TrustedThumbprint" TEXT NULL,
    "Status" TEXT NOT NULL,
    "LastError" TEXT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "LastTestedAt" INTEGER NULL,
    "SyncIntervalMinutes" INTEGER NOT NULL,
    "SyncState" TEXT NOT NULL,
    "LastSyncStartedAt" INTEGER NULL,
    "LastSyncFinishedAt" INTEGER NULL,
    "LastSyncSucceededAt" INTEGER NULL,
    "LastSyncError" TEXT NULL,
    "VmCount" INTEGER NOT NULL,
    CONSTRAINT "FK_Environments_Tenants_TenantId" FOREIGN KEY ("TenantId") REFERENCES "Tenants" ("Id") ON DELETE CASCADE
);

CREATE TABLE "InventoryVms" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_InventoryVms" PRIMARY KEY,
    "TenantId" TEXT NOT NULL,
    "EnvironmentId" TEXT NOT NULL,
    "ExternalId" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "PowerState" TEXT NOT NULL,
    "CpuCount" INTEGER NOT NULL,
    "CpuVendor" TEXT NULL,
    "MemoryBytes" INTEGER NOT NULL,
    "GuestOs" TEXT NULL,
    "ToolsState" TEXT NOT NULL,
    "Host" TEXT NULL,
    "Cluster" TEXT NULL,
    "DiskCount" INTEGER NOT NULL,
    "CapacityBytes" INTEGER NOT NULL,
    "AllocatedBytes" INTEGER NULL,
    "ChangeTracking" TEXT NOT NULL,
    "SnapshotCount" INTEGER NOT NULL,
    "SyncedAt" INTEGER NOT NULL,
    "Disks" TEXT NULL,
    "Nics" TEXT NULL,
    "Snapshots" TEXT NULL,
    CONSTRAINT "FK_InventoryVms_Environments_EnvironmentId" FOREIGN KEY ("EnvironmentId") REFERENCES "Environments" ("Id") ON DELETE CASCADE
);

CREATE UNIQUE INDEX "IX_Environments_TenantId_Name" ON "Environments" ("TenantId", "Name");

CREATE UNIQUE INDEX "IX_InventoryVms_EnvironmentId_ExternalId" ON "InventoryVms" ("EnvironmentId", "ExternalId");

CREATE INDEX "IX_InventoryVms_TenantId_EnvironmentId_Name" ON "InventoryVms" ("TenantId", "EnvironmentId", "Name");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261123201714_Environments', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
ALTER TABLE "Environments" ADD "HypervisorEndpoint" TEXT NULL;

ALTER TABLE "Environments" ADD "HypervisorThumbprint" TEXT NULL;

ALTER TABLE "Environments" ADD "HypervisorUserName" TEXT NULL;

ALTER TABLE "Environments" ADD "NbdUriTemplate" TEXT NULL;

ALTER TABLE "Environments" ADD "ProtectedHypervisorSecret" TEXT NULL;

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261123210455_EnvironmentAccess', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
CREATE TABLE "Assessments" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Assessments" PRIMARY KEY,
    "TenantId" TEXT NOT NULL,
    "EnvironmentId" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "StartedAt" INTEGER NOT NULL,
    "EndsAt" INTEGER NOT NULL,
    "EndedAt" INTEGER NULL,
    "SampleIntervalSeconds" INTEGER NOT NULL,
    "SamplesTaken" INTEGER NOT NULL,
    "LastSampleAt" INTEGER NULL,
    "LastError" TEXT NULL,
    "Vms" TEXT NOT NULL,
    CONSTRAINT "FK_Assessments_Environments_EnvironmentId" FOREIGN KEY ("EnvironmentId") REFERENCES "Environments" ("Id") ON DELETE CASCADE
);

CREATE TABLE "ChangeSamples" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_ChangeSamples" PRIMARY KEY AUTOINCREMENT,
    "TenantId" TEXT NOT NULL,
    "AssessmentId" TEXT NOT NULL,
    "VmId" TEXT NOT NULL,
    "DiskKey" TEXT NOT NULL,
    "At" INTEGER NOT NULL,
    "IntervalSeconds" REAL NOT NULL,
    "ChangedBytes" INTEGER NOT NULL,
    "AllocatedBytes" INTEGER NOT NULL,
    CONSTRAINT "FK_ChangeSamples_Assessments_AssessmentId" FOREIGN KEY ("AssessmentId") REFERENCES "Assessments" ("Id") ON DELETE CASCADE
);

CREATE TABLE "LinkSamples" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_LinkSamples" PRIMARY KEY AUTOINCREMENT,
    "TenantId" TEXT NOT NULL,
    "AssessmentId" TEXT NOT NULL,
    "At" INTEGER NOT NULL,
    "ThroughputBytesPerSecond" REAL NULL,
    "LatencyMilliseconds" REAL NULL,
    "LossRatio" REAL NULL,
    CONSTRAINT "FK_LinkSamples_Assessments_AssessmentId" FOREIGN KEY ("AssessmentId") REFERENCES "Assessments" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_Assessments_EnvironmentId" ON "Assessments" ("EnvironmentId");

CREATE INDEX "IX_Assessments_Status_EndsAt" ON "Assessments" ("Status", "EndsAt");

CREATE INDEX "IX_Assessments_TenantId_Status" ON "Assessments" ("TenantId", "Status");

CREATE INDEX "IX_ChangeSamples_AssessmentId_At" ON "ChangeSamples" ("AssessmentId", "At");

CREATE INDEX "IX_LinkSamples_AssessmentId_At" ON "LinkSamples" ("AssessmentId", "At");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261123211636_Assessments', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
CREATE TABLE "MigrationPlans" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_MigrationPlans" PRIMARY KEY,
    "TenantId" TEXT NOT NULL,
    "EnvironmentId" TEXT NOT NULL,
    "AssessmentId" TEXT NULL,
    "Name" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "Vms" TEXT NOT NULL,
    "Method" TEXT NOT NULL,
    "StartOnDestination" INTEGER NOT NULL,
    "RemoveSourceAfterSuccess" INTEGER NOT NULL,
    "SyncIntervalMinutes" INTEGER NOT NULL,
    "ThrottleMbps" INTEGER NULL,
    "CreatedAt" INTEGER NOT NULL,
    "ForecastInitialCopy" TEXT NULL,
    "ForecastDowntime" TEXT NULL,
    "ForecastWindow" TEXT NULL,
    CONSTRAINT "FK_MigrationPlans_Environments_EnvironmentId" FOREIGN KEY ("EnvironmentId") REFERENCES "Environments" ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_MigrationPlans_EnvironmentId" ON "MigrationPlans" ("EnvironmentId");

CREATE UNIQUE INDEX "IX_MigrationPlans_TenantId_Name" ON "MigrationPlans" ("TenantId", "Name");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261123214444_MigrationPlans', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
ALTER TABLE "MigrationPlans" ADD "CutoverEndedAt" INTEGER NULL;

ALTER TABLE "MigrationPlans" ADD "CutoverStartedAt" INTEGER NULL;

ALTER TABLE "MigrationPlans" ADD "CutoverStartedBy" TEXT NULL;

ALTER TABLE "MigrationPlans" ADD "DestinationId" TEXT NULL;

ALTER TABLE "MigrationPlans" ADD "NetworkMappings" TEXT NOT NULL DEFAULT '';

ALTER TABLE "MigrationPlans" ADD "StartedAt" INTEGER NULL;

ALTER TABLE "MigrationPlans" ADD "StatusReason" TEXT NULL;

CREATE TABLE "DestinationSites" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_DestinationSites" PRIMARY KEY,
    "Name" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "Location" TEXT NOT NULL,
    "Networks" TEXT NOT NULL,
    "Retired" INTEGER NOT NULL,
    "CreatedAt" INTEGER NOT NULL
);

CREATE TABLE "VmReplications" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_VmReplications" PRIMARY KEY,
    "TenantId" TEXT NOT NULL,
    "PlanId" TEXT NOT NULL,
    "VmId" TEXT NOT NULL,
    "VmName" TEXT NOT NULL,
    "BootOrder" INTEGER NOT NULL,
    "State" TEXT NOT NULL,
    "PausedFrom" TEXT NULL,
    "Disks" TEXT NOT NULL,
    "SnapshotId" TEXT NULL,
    "BaselineStartedAt" INTEGER NULL,
    "BaselineCompletedAt" INTEGER NULL,
    "Cycles" INTEGER NOT NULL,
    "LastCycleAt" INTEGER NULL,
    "LastCycleBytes" INTEGER NOT NULL,
    "LastCycleSeconds" REAL NOT NULL,
    "SourceStoppedAt" INTEGER NULL,
    "Downtime" TEXT NULL,
    "StartedAtDestinationAt" INTEGER NULL,
    "Error" TEXT NULL,
    CONSTRAINT "FK_VmReplications_MigrationPlans_PlanId" FOREIGN KEY ("PlanId") REFERENCES "MigrationPlans" ("Id") ON DELETE CASCADE
);

CREATE TABLE "WorkerTokens" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_WorkerTokens" PRIMARY KEY,
    "TenantId" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "Hash" TEXT NOT NULL,
    "Hint" TEXT NOT NULL,
    "IsLocal" INTEGER NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "CreatedBy" TEXT NOT NULL,
    "RevokedAt" INTEGER NULL,
    "LastUsedAt" INTEGER NULL,
    CONSTRAINT "FK_WorkerTokens_Tenants_TenantId" FOREIGN KEY ("TenantId") REFERENCES "Tenants" ("Id") ON DELETE CASCADE
);

CREATE TABLE "ReplicationTasks" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_ReplicationTasks" PRIMARY KEY,
    "TenantId" TEXT NOT NULL,
    "PlanId" TEXT NOT NULL,
    "VmReplicationId" TEXT NOT NULL,
    "VmId" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "State" TEXT NOT NULL,
    "Attempts" INTEGER NOT NULL,
    "WorkerSessionId" TEXT NULL,
    "SnapshotId" TEXT NULL,
    "SnapshotChangeIds" TEXT NOT NULL,
    "PreviousSnapshotId" TEXT NULL,
    "Disks" TEXT NOT NULL,
    "QueuedAt" INTEGER NOT NULL,
    "StartedAt" INTEGER NULL,
    "FinishedAt" INTEGER NULL,
    "Error" TEXT NULL,
    CONSTRAINT "FK_ReplicationTasks_MigrationPlans_PlanId" FOREIGN KEY ("PlanId") REFERENCES "MigrationPlans" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_ReplicationTasks_VmReplications_VmReplicationId" FOREIGN KEY ("VmReplicationId") REFERENCES "VmReplications" ("Id") ON DELETE CASCADE
);

CREATE TABLE "WorkerSessions" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_WorkerSessions" PRIMARY KEY,
    "TenantId" TEXT NOT NULL,
    "TokenId" TEXT NOT NULL,
    "ConnectionId" TEXT NOT NULL,
    "Node" TEXT NOT NULL,
    "WorkerName" TEXT NOT NULL,
    "Version" TEXT NOT NULL,
    "Slots" INTEGER NOT NULL,
    "IsLocal" INTEGER NOT NULL,
    "ProcessId" INTEGER NULL,
    "ConnectedAt" INTEGER NOT NULL,
    "LastSeenAt" INTEGER NOT NULL,
    "DisconnectedAt" INTEGER NULL,
    CONSTRAINT "FK_WorkerSessions_WorkerTokens_TokenId" FOREIGN KEY ("TokenId") REFERENCES "WorkerTokens" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_MigrationPlans_DestinationId" ON "MigrationPlans" ("DestinationId");

CREATE UNIQUE INDEX "IX_DestinationSites_Name" ON "DestinationSites" ("Name");

CREATE INDEX "IX_ReplicationTasks_PlanId" ON "ReplicationTasks" ("PlanId");

CREATE INDEX "IX_ReplicationTasks_State_QueuedAt" ON "ReplicationTasks" ("State", "QueuedAt");

CREATE INDEX "IX_ReplicationTasks_TenantId_PlanId" ON "ReplicationTasks" ("TenantId", "PlanId");

CREATE INDEX "IX_ReplicationTasks_VmReplicationId" ON "ReplicationTasks" ("VmReplicationId");

CREATE INDEX "IX_ReplicationTasks_WorkerSessionId" ON "ReplicationTasks" ("WorkerSessionId");

CREATE UNIQUE INDEX "IX_VmReplications_PlanId_VmId" ON "VmReplications" ("PlanId", "VmId");

CREATE INDEX "IX_VmReplications_TenantId" ON "VmReplications" ("TenantId");

CREATE UNIQUE INDEX "IX_WorkerSessions_ConnectionId" ON "WorkerSessions" ("ConnectionId");

CREATE INDEX "IX_WorkerSessions_TenantId_DisconnectedAt" ON "WorkerSessions" ("TenantId", "DisconnectedAt");

CREATE INDEX "IX_WorkerSessions_TokenId" ON "WorkerSessions" ("TokenId");

CREATE UNIQUE INDEX "IX_WorkerTokens_Hash" ON "WorkerTokens" ("Hash");

CREATE INDEX "IX_WorkerTokens_TenantId" ON "WorkerTokens" ("TenantId");

CREATE TABLE "ef_temp_MigrationPlans" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_MigrationPlans" PRIMARY KEY,
    "AssessmentId" TEXT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "CutoverEndedAt" INTEGER NULL,
    "CutoverStartedAt" INTEGER NULL,
    "CutoverStartedBy" TEXT NULL,
    "DestinationId" TEXT NULL,
    "EnvironmentId" TEXT NOT NULL,
    "ForecastDowntime" TEXT NULL,
    "ForecastInitialCopy" TEXT NULL,
    "ForecastWindow" TEXT NULL,
    "Method" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "NetworkMappings" TEXT NOT NULL,
    "RemoveSourceAfterSuccess" INTEGER NOT NULL,
    "StartOnDestination" INTEGER NOT NULL,
    "StartedAt" INTEGER NULL,
    "Status" TEXT NOT NULL,
    "StatusReason" TEXT NULL,
    "SyncIntervalMinutes" INTEGER NOT NULL,
    "TenantId" TEXT NOT NULL,
    "ThrottleMbps" INTEGER NULL,
    "Vms" TEXT NOT NULL,
    CONSTRAINT "FK_MigrationPlans_DestinationSites_DestinationId" FOREIGN KEY ("DestinationId") REFERENCES "DestinationSites" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_MigrationPlans_Environments_EnvironmentId" FOREIGN KEY ("EnvironmentId") REFERENCES "Environments" ("Id") ON DELETE RESTRICT
);

INSERT INTO "ef_temp_MigrationPlans" ("Id", "AssessmentId", "CreatedAt", "CutoverEndedAt", "CutoverStartedAt", "CutoverStartedBy", "DestinationId", "EnvironmentId", "ForecastDowntime", "ForecastInitialCopy", "ForecastWindow", "Method", "Name", "NetworkMappings", "RemoveSourceAfterSuccess", "StartOnDestination", "StartedAt", "Status", "StatusReason", "SyncIntervalMinutes", "TenantId", "ThrottleMbps", "Vms")
SELECT "Id", "AssessmentId", "CreatedAt", "CutoverEndedAt", "CutoverStartedAt", "CutoverStartedBy", "DestinationId", "EnvironmentId", "ForecastDowntime", "ForecastInitialCopy", "ForecastWindow", "Method", "Name", "NetworkMappings", "RemoveSourceAfterSuccess", "StartOnDestination", "StartedAt", "Status", "StatusReason", "SyncIntervalMinutes", "TenantId", "ThrottleMbps", "Vms"
FROM "MigrationPlans";

COMMIT;

PRAGMA foreign_keys = 0;

BEGIN TRANSACTION;
DROP TABLE "MigrationPlans";

ALTER TABLE "ef_temp_MigrationPlans" RENAME TO "MigrationPlans";

COMMIT;

PRAGMA foreign_keys = 1;

BEGIN TRANSACTION;
CREATE INDEX "IX_MigrationPlans_DestinationId" ON "MigrationPlans" ("DestinationId");

CREATE INDEX "IX_MigrationPlans_EnvironmentId" ON "MigrationPlans" ("EnvironmentId");

CREATE UNIQUE INDEX "IX_MigrationPlans_TenantId_Name" ON "MigrationPlans" ("TenantId", "Name");

COMMIT;

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261123224339_Replication', '10.0.15');

BEGIN TRANSACTION;
CREATE TABLE "MaintenanceWindows" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_MaintenanceWindows" PRIMARY KEY,
    "TenantId" TEXT NOT NULL,
    "PlanId" TEXT NOT NULL,
    "StartsAt" INTEGER NOT NULL,
    "EndsAt" INTEGER NOT NULL,
    "TimeZoneId" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "RequestedBy" TEXT NOT NULL,
    "RequestedAt" INTEGER NOT NULL,
    "DecidedBy" TEXT NULL,
    "DecidedAt" INTEGER NULL,
    "Reason" TEXT NULL,
    "ProposedStartsAt" INTEGER NULL,
    "ProposedEndsAt" INTEGER NULL,
    "AtRiskReason" TEXT NULL,
    "StartedAt" INTEGER NULL,
    "EndedAt" INTEGER NULL,
    "RemindersSent" TEXT NOT NULL,
    CONSTRAINT "FK_MaintenanceWindows_MigrationPlans_PlanId" FOREIGN KEY ("PlanId") REFERENCES "MigrationPlans" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_MaintenanceWindows_Tenants_TenantId" FOREIGN KEY ("TenantId") REFERENCES "Tenants" ("Id") ON DELETE CASCADE
);

CREATE TABLE "SeedDeviceModels" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_SeedDeviceModels" PRIMARY KEY,
    "Name" TEXT NOT NULL,
    "UsableCapacityBytes" INTEGER NOT NULL,
    "TransferBytesPerSecond" INTEGER NOT NULL,
    "ShippingDaysEachWay" INTEGER NOT NULL,
    "IngestBytesPerSecond" INTEGER NOT NULL,
    "HandlingDays" INTEGER NOT NULL,
    "Retired" INTEGER NOT NULL
);

CREATE TABLE "SeedDeviceOrders" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_SeedDeviceOrders" PRIMARY KEY,
    "TenantId" TEXT NOT NULL,
    "PlanId" TEXT NOT NULL,
    "ModelId" TEXT NOT NULL,
    "ModelName" TEXT NOT NULL,
    "DeviceCount" INTEGER NOT NULL,
    "BytesToLoad" INTEGER NOT NULL,
    "Address" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "RequestedAt" INTEGER NOT NULL,
    "RequestedBy" TEXT NOT NULL,
    "Carrier" TEXT NULL,
    "TrackingNumber" TEXT NULL,
    "ReturnCarrier" TEXT NULL,
    "ReturnTrackingNumber" TEXT NULL,
    "Steps" TEXT NOT NULL,
    "Reason" TEXT NULL,
    "ProtectedKey" TEXT NULL,
    "VerifiedChunks" INTEGER NULL,
    CONSTRAINT "FK_SeedDeviceOrders_MigrationPlans_PlanId" FOREIGN KEY ("PlanId") REFERENCES "MigrationPlans" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_SeedDeviceOrders_SeedDeviceModels_ModelId" FOREIGN KEY ("ModelId") REFERENCES "SeedDeviceModels" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_SeedDeviceOrders_Tenants_TenantId" FOREIGN KEY ("TenantId") REFERENCES "Tenants" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_MaintenanceWindows_PlanId" ON "MaintenanceWindows" ("PlanId");

CREATE INDEX "IX_MaintenanceWindows_Status_StartsAt" ON "MaintenanceWindows" ("Status", "StartsAt");

CREATE INDEX "IX_MaintenanceWindows_TenantId" ON "MaintenanceWindows" ("TenantId");

CREATE UNIQUE INDEX "IX_SeedDeviceModels_Name" ON "SeedDeviceModels" ("Name");

CREATE INDEX "IX_SeedDeviceOrders_ModelId" ON "SeedDeviceOrders" ("ModelId");

CREATE INDEX "IX_SeedDeviceOrders_PlanId" ON "SeedDeviceOrders" ("PlanId");

CREATE INDEX "IX_SeedDeviceOrders_TenantId" ON "SeedDeviceOrders" ("TenantId");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261203203046_WindowsAndSeedDevices', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
ALTER TABLE "OutboxMessages" ADD "AttachmentMediaType" TEXT NULL;

ALTER TABLE "OutboxMessages" ADD "AttachmentName" TEXT NULL;

ALTER TABLE "OutboxMessages" ADD "AttachmentText" TEXT NULL;

CREATE TABLE "Notifications" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Notifications" PRIMARY KEY,
    "TenantId" TEXT NULL,
    "RecipientUserId" TEXT NOT NULL,
    "Kind" INTEGER NOT NULL,
    "Title" TEXT NOT NULL,
    "Body" TEXT NOT NULL,
    "Link" TEXT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "ReadAt" INTEGER NULL,
    CONSTRAINT "FK_Notifications_AspNetUsers_RecipientUserId" FOREIGN KEY ("RecipientUserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "NotificationSettings" (
    "UserId" TEXT NOT NULL CONSTRAINT "PK_NotificationSettings" PRIMARY KEY,
    "TenantId" TEXT NULL,
    "TimeZoneId" TEXT NULL,
    "InAppOff" TEXT NOT NULL,
    "EmailOff" TEXT NOT NULL,
    CONSTRAINT "FK_NotificationSettings_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_Notifications_RecipientUserId_CreatedAt" ON "Notifications" ("RecipientUserId", "CreatedAt");

CREATE INDEX "IX_Notifications_RecipientUserId_ReadAt" ON "Notifications" ("RecipientUserId", "ReadAt");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261203210445_Notifications', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
ALTER TABLE "SeedDeviceOrders" ADD "Version" INTEGER NOT NULL DEFAULT 0;

ALTER TABLE "MaintenanceWindows" ADD "Version" INTEGER NOT NULL DEFAULT 0;

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261204042914_RowVersions', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
ALTER TABLE "VmReplications" ADD "SeedChangeIds" TEXT NOT NULL DEFAULT '{}';

ALTER TABLE "VmReplications" ADD "SeedLoadedAt" INTEGER NULL;

ALTER TABLE "VmReplications" ADD "SeedSnapshotId" TEXT NULL;

ALTER TABLE "ReplicationTasks" ADD "SeedChunks" INTEGER NOT NULL DEFAULT 0;

ALTER TABLE "ReplicationTasks" ADD "SeedFolders" TEXT NOT NULL DEFAULT '[]';

ALTER TABLE "ReplicationTasks" ADD "SeedOrderId" TEXT NULL;

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261206001545_SeedDeviceReplication', '10.0.15');

COMMIT;

