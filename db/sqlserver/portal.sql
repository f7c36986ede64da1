IF OBJECT_ID(N'[__EFMigrationsHistory]') IS NULL
BEGIN
    CREATE TABLE [__EFMigrationsHistory] (
        [MigrationId] nvarchar(150) NOT NULL,
        [ProductVersion] nvarchar(32) NOT NULL,
        CONSTRAINT [PK___EFMigrationsHistory] PRIMARY KEY ([MigrationId])
    );
END;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123182358_Initial'
)
BEGIN
    CREATE TABLE [AspNetRoles] (
        [Id] nvarchar(450) NOT NULL,
        [Name] nvarchar(256) NULL,
        [NormalizedName] nvarchar(256) NULL,
        [ConcurrencyStamp] nvarchar(max) NULL,
        CONSTRAINT [PK_AspNetRoles] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123182358_Initial'
)
BEGIN
    CREATE TABLE [AuditEntries] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NULL,
        [UserId] nvarchar(450) NULL,
        [UserName] nvarchar(256) NOT NULL,
        [EntityType] nvarchar(100) NOT NULL,
        [EntityId] nvarchar(450) NOT NULL,
        [Action] nvarchar(20) NOT NULL,
        [Changes] nvarchar(max) NOT NULL,
        [At] datetimeoffset NOT NULL,
        CONSTRAINT [PK_AuditEntries] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123182358_Initial'
)
BEGIN
    CREATE TABLE [OutboxMessages] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NULL,
        [ToAddress] nvarchar(254) NOT NULL,
        [Subject] nvarchar(400) NOT NULL,
        [HtmlBody] nvarchar(max) NOT NULL,
        [TextBody] nvarchar(max) NOT NULL,
        [Status] nvarchar(20) NOT NULL,
        [Attempts] int NOT NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [NextAttemptAt] datetimeoffset NOT NULL,
        [SentAt] datetimeoffset NULL,
        [LastError] nvarchar(1000) NULL,
        CONSTRAINT [PK_OutboxMessages] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123182358_Initial'
)
BEGIN
    CREATE TABLE [Tenants] (
        [Id] uniqueidentifier NOT NULL,
        [Name] nvarchar(100) NOT NULL,
        [Slug] nvarchar(40) NOT NULL,
        [ContactName] nvarchar(200) NOT NULL,
        [ContactEmail] nvarchar(254) NOT NULL,
        [TimeZoneId] nvarchar(100) NOT NULL,
        [MaxConcurrentReplications] int NOT NULL,
        [BandwidthCapMbps] int NOT NULL,
        [Status] nvarchar(20) NOT NULL,
        [SuspensionReason] nvarchar(500) NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [SuspendedAt] datetimeoffset NULL,
        CONSTRAINT [PK_Tenants] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123182358_Initial'
)
BEGIN
    CREATE TABLE [AspNetRoleClaims] (
        [Id] int NOT NULL IDENTITY,
        [RoleId] nvarchar(450) NOT NULL,
        [ClaimType] nvarchar(max) NULL,
        [ClaimValue] nvarchar(max) NULL,
        CONSTRAINT [PK_AspNetRoleClaims] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_AspNetRoleClaims_AspNetRoles_RoleId] FOREIGN KEY ([RoleId]) REFERENCES [AspNetRoles] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123182358_Initial'
)
BEGIN
    CREATE TABLE [AspNetUsers] (
        [Id] nvarchar(450) NOT NULL,
        [TenantId] uniqueidentifier NULL,
        [DisplayName] nvarchar(200) NOT NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [UserName] nvarchar(256) NULL,
        [NormalizedUserName] nvarchar(256) NULL,
        [Email] nvarchar(256) NULL,
        [NormalizedEmail] nvarchar(256) NULL,
        [EmailConfirmed] bit NOT NULL,
        [PasswordHash] nvarchar(max) NULL,
        [SecurityStamp] nvarchar(max) NULL,
        [ConcurrencyStamp] nvarchar(max) NULL,
        [PhoneNumber] nvarchar(max) NULL,
        [PhoneNumberConfirmed] bit NOT NULL,
        [TwoFactorEnabled] bit NOT NULL,
        [LockoutEnd] datetimeoffset NULL,
        [LockoutEnabled] bit NOT NULL,
        [AccessFailedCount] int NOT NULL,
        CONSTRAINT [PK_AspNetUsers] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_AspNetUsers_Tenants_TenantId] FOREIGN KEY ([TenantId]) REFERENCES [Tenants] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123182358_Initial'
)
BEGIN
    CREATE TABLE [Invitations] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [Email] nvarchar(254) NOT NULL,
        [Role] nvarchar(50) NOT NULL,
        [TokenHash] nvarchar(64) NOT NULL,
        [Status] nvarchar(20) NOT NULL,
        [InvitedBy] nvarchar(256) NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [ExpiresAt] datetimeoffset NOT NULL,
        [ClosedAt] datetimeoffset NULL,
        CONSTRAINT [PK_Invitations] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Invitations_Tenants_TenantId] FOREIGN KEY ([TenantId]) REFERENCES [Tenants] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123182358_Initial'
)
BEGIN
    CREATE TABLE [AspNetUserClaims] (
        [Id] int NOT NULL IDENTITY,
        [UserId] nvarchar(450) NOT NULL,
        [ClaimType] nvarchar(max) NULL,
        [ClaimValue] nvarchar(max) NULL,
        CONSTRAINT [PK_AspNetUserClaims] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_AspNetUserClaims_AspNetUsers_UserId] FOREIGN KEY ([UserId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123182358_Initial'
)
BEGIN
    CREATE TABLE [AspNetUserLogins] (
        [LoginProvider] nvarchar(450) NOT NULL,
        [ProviderKey] nvarchar(450) NOT NULL,
        [ProviderDisplayName] nvarchar(max) NULL,
        [UserId] nvarchar(450) NOT NULL,
        CONSTRAINT [PK_AspNetUserLogins] PRIMARY KEY ([LoginProvider], [ProviderKey]),
        CONSTRAINT [FK_AspNetUserLogins_AspNetUsers_UserId] FOREIGN KEY ([UserId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123182358_Initial'
)
BEGIN
    CREATE TABLE [AspNetUserRoles] (
        [UserId] nvarchar(450) NOT NULL,
        [RoleId] nvarchar(450) NOT NULL,
        CONSTRAINT [PK_AspNetUserRoles] PRIMARY KEY ([UserId], [RoleId]),
        CONSTRAINT [FK_AspNetUserRoles_AspNetRoles_RoleId] FOREIGN KEY ([RoleId]) REFERENCES [AspNetRoles] ([Id]) ON DELETE CASCADE,
        CONSTRAINT [FK_AspNetUserRoles_AspNetUsers_UserId] FOREIGN KEY ([UserId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123182358_Initial'
)
BEGIN
    CREATE TABLE [AspNetUserTokens] (
        [UserId] nvarchar(450) NOT NULL,
        [LoginProvider] nvarchar(450) NOT NULL,
        [Name] nvarchar(450) NOT NULL,
        [Value] nvarchar(max) NULL,
        CONSTRAINT [PK_AspNetUserTokens] PRIMARY KEY ([UserId], [LoginProvider], [Name]),
        CONSTRAINT [FK_AspNetUserTokens_AspNetUsers_UserId] FOREIGN KEY ([UserId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123182358_Initial'
)
BEGIN
    CREATE INDEX [IX_AspNetRoleClaims_RoleId] ON [AspNetRoleClaims] ([RoleId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123182358_Initial'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [RoleNameIndex] ON [AspNetRoles] ([NormalizedName]) WHERE [NormalizedName] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123182358_Initial'
)
BEGIN
    CREATE INDEX [IX_AspNetUserClaims_UserId] ON [AspNetUserClaims] ([UserId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123182358_Initial'
)
BEGIN
    CREATE INDEX [IX_AspNetUserLogins_UserId] ON [AspNetUserLogins] ([UserId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123182358_Initial'
)
BEGIN
    CREATE INDEX [IX_AspNetUserRoles_RoleId] ON [AspNetUserRoles] ([RoleId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123182358_Initial'
)
BEGIN
    CREATE INDEX [EmailIndex] ON [AspNetUsers] ([NormalizedEmail]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123182358_Initial'
)
BEGIN
    CREATE INDEX [IX_AspNetUsers_TenantId] ON [AspNetUsers] ([TenantId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123182358_Initial'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [UserNameIndex] ON [AspNetUsers] ([NormalizedUserName]) WHERE [NormalizedUserName] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123182358_Initial'
)
BEGIN
    CREATE INDEX [IX_AuditEntries_At] ON [AuditEntries] ([At]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123182358_Initial'
)
BEGIN
    CREATE INDEX [IX_AuditEntries_TenantId_At] ON [AuditEntries] ([TenantId], [At]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123182358_Initial'
)
BEGIN
    CREATE INDEX [IX_Invitations_Status_ExpiresAt] ON [Invitations] ([Status], [ExpiresAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123182358_Initial'
)
BEGIN
    CREATE INDEX [IX_Invitations_TenantId_Status] ON [Invitations] ([TenantId], [Status]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123182358_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_Invitations_TokenHash] ON [Invitations] ([TokenHash]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123182358_Initial'
)
BEGIN
    CREATE INDEX [IX_OutboxMessages_Status_NextAttemptAt] ON [OutboxMessages] ([Status], [NextAttemptAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123182358_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_Tenants_Slug] ON [Tenants] ([Slug]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123182358_Initial'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261123182358_Initial', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123201719_Environments'
)
BEGIN
    CREATE TABLE [Environments] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [Name] nvarchar(100) NOT NULL,
        [Kind] nvarchar(20) NOT NULL,
        [Endpoint] nvarchar(400) NULL,
        [UserName] nvarchar(200) NULL,
        [ProtectedSecret] nvarchar(4000) NULL,
        [TrustedThumbprint] nvarchar(100) NULL,
        [Status] nvarchar(20) NOT NULL,
        [LastError] nvarchar(1000) NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [LastTestedAt] datetimeoffset NULL,
        [SyncIntervalMinutes] int NOT NULL,
        [SyncState] nvarchar(20) NOT NULL,
        [LastSyncStartedAt] datetimeoffset NULL,
        [LastSyncFinishedAt] datetimeoffset NULL,
        [LastSyncSucceededAt] datetimeoffset NULL,
        [LastSyncError] nvarchar(1000) NULL,
        [VmCount] int NOT NULL,
        CONSTRAINT [PK_Environments] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Environments_Tenants_TenantId] FOREIGN KEY ([TenantId]) REFERENCES [Tenants] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123201719_Environments'
)
BEGIN
    CREATE TABLE [InventoryVms] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [EnvironmentId] uniqueidentifier NOT NULL,
        [ExternalId] nvarchar(200) NOT NULL,
        [Name] nvarchar(200) NOT NULL,
        [PowerState] nvarchar(20) NOT NULL,
        [CpuCount] int NOT NULL,
        [CpuVendor] nvarchar(50) NULL,
        [MemoryBytes] bigint NOT NULL,
        [GuestOs] nvarchar(200) NULL,
        [ToolsState] nvarchar(20) NOT NULL,
        [Host] nvarchar(200) NULL,
        [Cluster] nvarchar(200) NULL,
        [DiskCount] int NOT NULL,
        [CapacityBytes] bigint NOT NULL,
        [AllocatedBytes] bigint NULL,
        [ChangeTracking] nvarchar(20) NOT NULL,
        [SnapshotCount] int NOT NULL,
        [SyncedAt] datetimeoffset NOT NULL,
        [Disks] nvarchar(max) NULL,
        [Nics] nvarchar(max) NULL,
        [Snapshots] nvarchar(max) NULL,
        CONSTRAINT [PK_InventoryVms] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_InventoryVms_Environments_EnvironmentId] FOREIGN KEY ([EnvironmentId]) REFERENCES [Environments] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123201719_Environments'
)
BEGIN
    CREATE UNIQUE INDEX [IX_Environments_TenantId_Name] ON [Environments] ([TenantId], [Name]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123201719_Environments'
)
BEGIN
    CREATE UNIQUE INDEX [IX_InventoryVms_EnvironmentId_ExternalId] ON [InventoryVms] ([EnvironmentId], [ExternalId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123201719_Environments'
)
BEGIN
    CREATE INDEX [IX_InventoryVms_TenantId_EnvironmentId_Name] ON [InventoryVms] ([TenantId], [EnvironmentId], [Name]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123201719_Environments'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261123201719_Environments', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123210500_EnvironmentAccess'
)
BEGIN
    ALTER TABLE [Environments] ADD [HypervisorEndpoint] nvarchar(400) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123210500_EnvironmentAccess'
)
BEGIN
    ALTER TABLE [Environments] ADD [HypervisorThumbprint] nvarchar(100) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123210500_EnvironmentAccess'
)
BEGIN
    ALTER TABLE [Environments] ADD [HypervisorUserName] nvarchar(200) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123210500_EnvironmentAccess'
)
BEGIN
    ALTER TABLE [Environments] ADD [NbdUriTemplate] nvarchar(400) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123210500_EnvironmentAccess'
)
BEGIN
    ALTER TABLE [Environments] ADD [ProtectedHypervisorSecret] nvarchar(4000) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123210500_EnvironmentAccess'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261123210500_EnvironmentAccess', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123211643_Assessments'
)
BEGIN
    CREATE TABLE [Assessments] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [EnvironmentId] uniqueidentifier NOT NULL,
        [Name] nvarchar(100) NOT NULL,
        [Status] nvarchar(20) NOT NULL,
        [StartedAt] datetimeoffset NOT NULL,
        [EndsAt] datetimeoffset NOT NULL,
        [EndedAt] datetimeoffset NULL,
        [SampleIntervalSeconds] int NOT NULL,
        [SamplesTaken] int NOT NULL,
        [LastSampleAt] datetimeoffset NULL,
        [LastError] nvarchar(1000) NULL,
        [Vms] nvarchar(max) NOT NULL,
        CONSTRAINT [PK_Assessments] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Assessments_Environments_EnvironmentId] FOREIGN KEY ([EnvironmentId]) REFERENCES [Environments] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123211643_Assessments'
)
BEGIN
    CREATE TABLE [ChangeSamples] (
        [Id] bigint NOT NULL IDENTITY,
        [TenantId] uniqueidentifier NOT NULL,
        [AssessmentId] uniqueidentifier NOT NULL,
        [VmId] nvarchar(200) NOT NULL,
        [DiskKey] nvarchar(200) NOT NULL,
        [At] datetimeoffset NOT NULL,
        [IntervalSeconds] float NOT NULL,
        [ChangedBytes] bigint NOT NULL,
        [AllocatedBytes] bigint NOT NULL,
        CONSTRAINT [PK_ChangeSamples] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_ChangeSamples_Assessments_AssessmentId] FOREIGN KEY ([AssessmentId]) REFERENCES [Assessments] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123211643_Assessments'
)
BEGIN
    CREATE TABLE [LinkSamples] (
        [Id] bigint NOT NULL IDENTITY,
        [TenantId] uniqueidentifier NOT NULL,
        [AssessmentId] uniqueidentifier NOT NULL,
        [At] datetimeoffset NOT NULL,
        [ThroughputBytesPerSecond] float NULL,
        [LatencyMilliseconds] float NULL,
        [LossRatio] float NULL,
        CONSTRAINT [PK_LinkSamples] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_LinkSamples_Assessments_AssessmentId] FOREIGN KEY ([AssessmentId]) REFERENCES [Assessments] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123211643_Assessments'
)
BEGIN
    CREATE INDEX [IX_Assessments_EnvironmentId] ON [Assessments] ([EnvironmentId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123211643_Assessments'
)
BEGIN
    CREATE INDEX [IX_Assessments_Status_EndsAt] ON [Assessments] ([Status], [EndsAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123211643_Assessments'
)
BEGIN
    CREATE INDEX [IX_Assessments_TenantId_Status] ON [Assessments] ([TenantId], [Status]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123211643_Assessments'
)
BEGIN
    CREATE INDEX [IX_ChangeSamples_AssessmentId_At] ON [ChangeSamples] ([AssessmentId], [At]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123211643_Assessments'
)
BEGIN
    CREATE INDEX [IX_LinkSamples_AssessmentId_At] ON [LinkSamples] ([AssessmentId], [At]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123211643_Assessments'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261123211643_Assessments', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123214450_MigrationPlans'
)
BEGIN
    CREATE TABLE [MigrationPlans] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [EnvironmentId] uniqueidentifier NOT NULL,
        [AssessmentId] uniqueidentifier NULL,
        [Name] nvarchar(100) NOT NULL,
        [Status] nvarchar(20) NOT NULL,
        [Vms] nvarchar(max) NOT NULL,
        [Method] nvarchar(20) NOT NULL,
        [StartOnDestination] bit NOT NULL,
        [RemoveSourceAfterSuccess] bit NOT NULL,
        [SyncIntervalMinutes] int NOT NULL,
        [ThrottleMbps] int NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [ForecastInitialCopy] time NULL,
        [ForecastDowntime] time NULL,
        [ForecastWindow] time NULL,
        CONSTRAINT [PK_MigrationPlans] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_MigrationPlans_Environments_EnvironmentId] FOREIGN KEY ([EnvironmentId]) REFERENCES [Environments] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123214450_MigrationPlans'
)
BEGIN
    CREATE INDEX [IX_MigrationPlans_EnvironmentId] ON [MigrationPlans] ([EnvironmentId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123214450_MigrationPlans'
)
BEGIN
    CREATE UNIQUE INDEX [IX_MigrationPlans_TenantId_Name] ON [MigrationPlans] ([TenantId], [Name]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123214450_MigrationPlans'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261123214450_MigrationPlans', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123224345_Replication'
)
BEGIN
    ALTER TABLE [MigrationPlans] ADD [CutoverEndedAt] datetimeoffset NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123224345_Replication'
)
BEGIN
    ALTER TABLE [MigrationPlans] ADD [CutoverStartedAt] datetimeoffset NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123224345_Replication'
)
BEGIN
    ALTER TABLE [MigrationPlans] ADD [CutoverStartedBy] nvarchar(256) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123224345_Replication'
)
BEGIN
    ALTER TABLE [MigrationPlans] ADD [DestinationId] uniqueidentifier NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123224345_Replication'
)
BEGIN
    ALTER TABLE [MigrationPlans] ADD [NetworkMappings] nvarchar(max) NOT NULL DEFAULT N'';
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123224345_Replication'
)
BEGIN
    ALTER TABLE [MigrationPlans] ADD [StartedAt] datetimeoffset NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123224345_Replication'
)
BEGIN
    ALTER TABLE [MigrationPlans] ADD [StatusReason] nvarchar(1000) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123224345_Replication'
)
BEGIN
    CREATE TABLE [DestinationSites] (
        [Id] uniqueidentifier NOT NULL,
        [Name] nvarchar(100) NOT NULL,
        [Kind] nvarchar(20) NOT NULL,
        [Location] nvarchar(400) NOT NULL,
        [Networks] nvarchar(max) NOT NULL,
        [Retired] bit NOT NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        CONSTRAINT [PK_DestinationSites] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123224345_Replication'
)
BEGIN
    CREATE TABLE [VmReplications] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [PlanId] uniqueidentifier NOT NULL,
        [VmId] nvarchar(200) NOT NULL,
        [VmName] nvarchar(200) NOT NULL,
        [BootOrder] int NOT NULL,
        [State] nvarchar(20) NOT NULL,
        [PausedFrom] nvarchar(20) NULL,
        [Disks] nvarchar(max) NOT NULL,
        [SnapshotId] nvarchar(200) NULL,
        [BaselineStartedAt] datetimeoffset NULL,
        [BaselineCompletedAt] datetimeoffset NULL,
        [Cycles] int NOT NULL,
        [LastCycleAt] datetimeoffset NULL,
        [LastCycleBytes] bigint NOT NULL,
        [LastCycleSeconds] float NOT NULL,
        [SourceStoppedAt] datetimeoffset NULL,
        [Downtime] time NULL,
        [StartedAtDestinationAt] datetimeoffset NULL,
        [Error] nvarchar(1000) NULL,
        CONSTRAINT [PK_VmReplications] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_VmReplications_MigrationPlans_PlanId] FOREIGN KEY ([PlanId]) REFERENCES [MigrationPlans] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123224345_Replication'
)
BEGIN
    CREATE TABLE [WorkerTokens] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [Name] nvarchar(100) NOT NULL,
        [Hash] nvarchar(64) NOT NULL,
        [Hint] nvarchar(16) NOT NULL,
        [IsLocal] bit NOT NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [CreatedBy] nvarchar(256) NOT NULL,
        [RevokedAt] datetimeoffset NULL,
        [LastUsedAt] datetimeoffset NULL,
        CONSTRAINT [PK_WorkerTokens] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_WorkerTokens_Tenants_TenantId] FOREIGN KEY ([TenantId]) REFERENCES [Tenants] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123224345_Replication'
)
BEGIN
    CREATE TABLE [ReplicationTasks] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [PlanId] uniqueidentifier NOT NULL,
        [VmReplicationId] uniqueidentifier NOT NULL,
        [VmId] nvarchar(200) NOT NULL,
        [Kind] nvarchar(20) NOT NULL,
        [State] nvarchar(20) NOT NULL,
        [Attempts] int NOT NULL,
        [WorkerSessionId] uniqueidentifier NULL,
        [SnapshotId] nvarchar(200) NULL,
        [SnapshotChangeIds] nvarchar(max) NOT NULL,
        [PreviousSnapshotId] nvarchar(200) NULL,
        [Disks] nvarchar(max) NOT NULL,
        [QueuedAt] datetimeoffset NOT NULL,
        [StartedAt] datetimeoffset NULL,
        [FinishedAt] datetimeoffset NULL,
        [Error] nvarchar(1000) NULL,
        CONSTRAINT [PK_ReplicationTasks] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_ReplicationTasks_MigrationPlans_PlanId] FOREIGN KEY ([PlanId]) REFERENCES [MigrationPlans] ([Id]) ON DELETE CASCADE,
        CONSTRAINT [FK_ReplicationTasks_VmReplications_VmReplicationId] FOREIGN KEY ([VmReplicationId]) REFERENCES [VmReplications] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123224345_Replication'
)
BEGIN
    CREATE TABLE [WorkerSessions] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [TokenId] uniqueidentifier NOT NULL,
        [ConnectionId] nvarchar(100) NOT NULL,
        [Node] nvarchar(100) NOT NULL,
        [WorkerName] nvarchar(100) NOT NULL,
        [Version] nvarchar(40) NOT NULL,
        [Slots] int NOT NULL,
        [IsLocal] bit NOT NULL,
        [ProcessId] int NULL,
        [ConnectedAt] datetimeoffset NOT NULL,
        [LastSeenAt] datetimeoffset NOT NULL,
        [DisconnectedAt] datetimeoffset NULL,
        CONSTRAINT [PK_WorkerSessions] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_WorkerSessions_WorkerTokens_TokenId] FOREIGN KEY ([TokenId]) REFERENCES [WorkerTokens] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123224345_Replication'
)
BEGIN
    CREATE INDEX [IX_MigrationPlans_DestinationId] ON [MigrationPlans] ([DestinationId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123224345_Replication'
)
BEGIN
    CREATE UNIQUE INDEX [IX_DestinationSites_Name] ON [DestinationSites] ([Name]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123224345_Replication'
)
BEGIN
    CREATE INDEX [IX_ReplicationTasks_PlanId] ON [ReplicationTasks] ([PlanId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123224345_Replication'
)
BEGIN
    CREATE INDEX [IX_ReplicationTasks_State_QueuedAt] ON [ReplicationTasks] ([State], [QueuedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123224345_Replication'
)
BEGIN
    CREATE INDEX [IX_ReplicationTasks_TenantId_PlanId] ON [ReplicationTasks] ([TenantId], [PlanId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123224345_Replication'
)
BEGIN
    CREATE INDEX [IX_ReplicationTasks_VmReplicationId] ON [ReplicationTasks] ([VmReplicationId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123224345_Replication'
)
BEGIN
    CREATE INDEX [IX_ReplicationTasks_WorkerSessionId] ON [ReplicationTasks] ([WorkerSessionId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123224345_Replication'
)
BEGIN
    CREATE UNIQUE INDEX [IX_VmReplications_PlanId_VmId] ON [VmReplications] ([PlanId], [VmId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123224345_Replication'
)
BEGIN
    CREATE INDEX [IX_VmReplications_TenantId] ON [VmReplications] ([TenantId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123224345_Replication'
)
BEGIN
    CREATE UNIQUE INDEX [IX_WorkerSessions_ConnectionId] ON [WorkerSessions] ([ConnectionId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123224345_Replication'
)
BEGIN
    CREATE INDEX [IX_WorkerSessions_TenantId_DisconnectedAt] ON [WorkerSessions] ([TenantId], [DisconnectedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123224345_Replication'
)
BEGIN
    CREATE INDEX [IX_WorkerSessions_TokenId] ON [WorkerSessions] ([TokenId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123224345_Replication'
)
BEGIN
    CREATE UNIQUE INDEX [IX_WorkerTokens_Hash] ON [WorkerTokens] ([Hash]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123224345_Replication'
)
BEGIN
    CREATE INDEX [IX_WorkerTokens_TenantId] ON [WorkerTokens] ([TenantId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123224345_Replication'
)
BEGIN
    ALTER TABLE [MigrationPlans] ADD CONSTRAINT [FK_MigrationPlans_DestinationSites_DestinationId] FOREIGN KEY ([DestinationId]) REFERENCES [DestinationSites] ([Id]) ON DELETE NO ACTION;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123224345_Replication'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261123224345_Replication', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261203203108_WindowsAndSeedDevices'
)
BEGIN
    CREATE TABLE [MaintenanceWindows] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [PlanId] uniqueidentifier NOT NULL,
        [StartsAt] datetimeoffset NOT NULL,
        [EndsAt] datetimeoffset NOT NULL,
        [TimeZoneId] nvarchar(100) NOT NULL,
        [Status] nvarchar(20) NOT NULL,
        [RequestedBy] nvarchar(256) NOT NULL,
        [RequestedAt] datetimeoffset NOT NULL,
        [DecidedBy] nvarchar(256) NULL,
        [DecidedAt] datetimeoffset NULL,
        [Reason] nvarchar(500) NULL,
        [ProposedStartsAt] datetimeoffset NULL,
        [ProposedEndsAt] datetimeoffset NULL,
        [AtRiskReason] nvarchar(1000) NULL,
        [StartedAt] datetimeoffset NULL,
        [EndedAt] datetimeoffset NULL,
        [RemindersSent] nvarchar(max) NOT NULL,
        CONSTRAINT [PK_MaintenanceWindows] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_MaintenanceWindows_MigrationPlans_PlanId] FOREIGN KEY ([PlanId]) REFERENCES [MigrationPlans] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_MaintenanceWindows_Tenants_TenantId] FOREIGN KEY ([TenantId]) REFERENCES [Tenants] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261203203108_WindowsAndSeedDevices'
)
BEGIN
    CREATE TABLE [SeedDeviceModels] (
        [Id] uniqueidentifier NOT NULL,
        [Name] nvarchar(100) NOT NULL,
        [UsableCapacityBytes] bigint NOT NULL,
        [TransferBytesPerSecond] bigint NOT NULL,
        [ShippingDaysEachWay] int NOT NULL,
        [IngestBytesPerSecond] bigint NOT NULL,
        [HandlingDays] int NOT NULL,
        [Retired] bit NOT NULL,
        CONSTRAINT [PK_SeedDeviceModels] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261203203108_WindowsAndSeedDevices'
)
BEGIN
    CREATE TABLE [SeedDeviceOrders] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [PlanId] uniqueidentifier NOT NULL,
        [ModelId] uniqueidentifier NOT NULL,
        [ModelName] nvarchar(100) NOT NULL,
        [DeviceCount] int NOT NULL,
        [BytesToLoad] bigint NOT NULL,
        [Address] nvarchar(max) NOT NULL,
        [Status] nvarchar(20) NOT NULL,
        [RequestedAt] datetimeoffset NOT NULL,
        [RequestedBy] nvarchar(256) NOT NULL,
        [Carrier] nvarchar(100) NULL,
        [TrackingNumber] nvarchar(100) NULL,
        [ReturnCarrier] nvarchar(100) NULL,
        [ReturnTrackingNumber] nvarchar(100) NULL,
        [Steps] nvarchar(max) NOT NULL,
        [Reason] nvarchar(500) NULL,
        [ProtectedKey] nvarchar(1000) NULL,
        [VerifiedChunks] bigint NULL,
        CONSTRAINT [PK_SeedDeviceOrders] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_SeedDeviceOrders_MigrationPlans_PlanId] FOREIGN KEY ([PlanId]) REFERENCES [MigrationPlans] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_SeedDeviceOrders_SeedDeviceModels_ModelId] FOREIGN KEY ([ModelId]) REFERENCES [SeedDeviceModels] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_SeedDeviceOrders_Tenants_TenantId] FOREIGN KEY ([TenantId]) REFERENCES [Tenants] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261203203108_WindowsAndSeedDevices'
)
BEGIN
    CREATE INDEX [IX_MaintenanceWindows_PlanId] ON [MaintenanceWindows] ([PlanId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261203203108_WindowsAndSeedDevices'
)
BEGIN
    CREATE INDEX [IX_MaintenanceWindows_Status_StartsAt] ON [MaintenanceWindows] ([Status], [StartsAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261203203108_WindowsAndSeedDevices'
)
BEGIN
    CREATE INDEX [IX_MaintenanceWindows_TenantId] ON [MaintenanceWindows] ([TenantId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261203203108_WindowsAndSeedDevices'
)
BEGIN
    CREATE UNIQUE INDEX [IX_SeedDeviceModels_Name] ON [SeedDeviceModels] ([Name]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261203203108_WindowsAndSeedDevices'
)
BEGIN
    CREATE INDEX [IX_SeedDeviceOrders_ModelId] ON [SeedDeviceOrders] ([ModelId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261203203108_WindowsAndSeedDevices'
)
BEGIN
    CREATE INDEX [IX_SeedDeviceOrders_PlanId] ON [SeedDeviceOrders] ([PlanId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261203203108_WindowsAndSeedDevices'
)
BEGIN
    CREATE INDEX [IX_SeedDeviceOrders_TenantId] ON [SeedDeviceOrders] ([TenantId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261203203108_WindowsAndSeedDevices'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261203203108_WindowsAndSeedDevices', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261203210503_Notifications'
)
BEGIN
    ALTER TABLE [OutboxMessages] ADD [AttachmentMediaType] nvarchar(200) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261203210503_Notifications'
)
BEGIN
    ALTER TABLE [OutboxMessages] ADD [AttachmentName] nvarchar(200) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261203210503_Notifications'
)
BEGIN
    ALTER TABLE [OutboxMessages] ADD [AttachmentText] nvarchar(max) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261203210503_Notifications'
)
BEGIN
    CREATE TABLE [Notifications] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NULL,
        [RecipientUserId] nvarchar(450) NOT NULL,
        [Kind] int NOT NULL,
        [Title] nvarchar(200) NOT NULL,
        [Body] nvarchar(2000) NOT NULL,
        [Link] nvarchar(400) NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [ReadAt] datetimeoffset NULL,
        CONSTRAINT [PK_Notifications] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Notifications_AspNetUsers_RecipientUserId] FOREIGN KEY ([RecipientUserId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261203210503_Notifications'
)
BEGIN
    CREATE TABLE [NotificationSettings] (
        [UserId] nvarchar(450) NOT NULL,
        [TenantId] uniqueidentifier NULL,
        [TimeZoneId] nvarchar(100) NULL,
        [InAppOff] nvarchar(400) NOT NULL,
        [EmailOff] nvarchar(400) NOT NULL,
        CONSTRAINT [PK_NotificationSettings] PRIMARY KEY ([UserId]),
        CONSTRAINT [FK_NotificationSettings_AspNetUsers_UserId] FOREIGN KEY ([UserId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261203210503_Notifications'
)
BEGIN
    CREATE INDEX [IX_Notifications_RecipientUserId_CreatedAt] ON [Notifications] ([RecipientUserId], [CreatedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261203210503_Notifications'
)
BEGIN
    CREATE INDEX [IX_Notifications_RecipientUserId_ReadAt] ON [Notifications] ([RecipientUserId], [ReadAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261203210503_Notifications'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261203210503_Notifications', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204042923_RowVersions'
)
BEGIN
    ALTER TABLE [SeedDeviceOrders] ADD [Version] int NOT NULL DEFAULT 0;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204042923_RowVersions'
)
BEGIN
    ALTER TABLE [MaintenanceWindows] ADD [Version] int NOT NULL DEFAULT 0;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204042923_RowVersions'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261204042923_RowVersions', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206001556_SeedDeviceReplication'
)
BEGIN
    ALTER TABLE [VmReplications] ADD [SeedChangeIds] nvarchar(max) NOT NULL DEFAULT N'{}';
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206001556_SeedDeviceReplication'
)
BEGIN
    ALTER TABLE [VmReplications] ADD [SeedLoadedAt] datetimeoffset NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206001556_SeedDeviceReplication'
)
BEGIN
    ALTER TABLE [VmReplications] ADD [SeedSnapshotId] nvarchar(200) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206001556_SeedDeviceReplication'
)
BEGIN
    ALTER TABLE [ReplicationTasks] ADD [SeedChunks] bigint NOT NULL DEFAULT CAST(0 AS bigint);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206001556_SeedDeviceReplication'
)
BEGIN
    ALTER TABLE [ReplicationTasks] ADD [SeedFolders] nvarchar(max) NOT NULL DEFAULT N'[]';
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206001556_SeedDeviceReplication'
)
BEGIN
    ALTER TABLE [ReplicationTasks] ADD [SeedOrderId] uniqueidentifier NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206001556_SeedDeviceReplication'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261206001556_SeedDeviceReplication', N'10.0.15');
END;

COMMIT;
GO

