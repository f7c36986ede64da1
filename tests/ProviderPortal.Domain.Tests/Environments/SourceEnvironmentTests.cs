using ProviderPortal.Domain.Environments;

namespace ProviderPortal.Domain.Tests.Environments;

public class SourceEnvironmentTests
{
    private static readonly EnvironmentDetails VCenter = new(" Frankfurt ", EnvironmentKind.VCenter, " https://vc.example.com ", " svc@vsphere.local ");

    private static SourceEnvironment Verified() => SourceEnvironment.Register(VCenter, "protected", "AA:BB", verified: true, Given.Now);

    [Fact]
    public void Register_Verified_ConnectedNeverSyncedTrimmed()
    {
        var environment = Verified();

        Assert.Equal(EnvironmentStatus.Connected, environment.Status);
        Assert.Equal(SyncState.Never, environment.SyncState);
        Assert.Equal("Frankfurt", environment.Name);
        Assert.Equal("https://vc.example.com", environment.Endpoint);
        Assert.Equal("svc@vsphere.local", environment.UserName);
        Assert.Equal(Given.Now, environment.LastTestedAt);
        Assert.True(environment.IsSyncDue(Given.Now));
    }

    [Fact]
    public void Register_Unverified_CannotSync()
    {
        var environment = SourceEnvironment.Register(VCenter, "protected", null, verified: false, Given.Now);

        Assert.Equal(EnvironmentStatus.Unverified, environment.Status);
        Assert.False(environment.CanSync);
        Assert.False(environment.IsSyncDue(Given.Now.AddDays(1)));
        Assert.Contains("connection test", Assert.Throws<DomainException>(environment.QueueSync).Message);
    }

    [Fact]
    public void Register_Lab_KeepsNoAddressSecretOrPin()
    {
        var lab = SourceEnvironment.Register(new EnvironmentDetails("Lab", EnvironmentKind.Lab, "https://ignored.example", "ignored"), "secret", "AA", verified: true, Given.Now);

        Assert.True(lab.IsLab);
        Assert.Null(lab.Endpoint);
        Assert.Null(lab.UserName);
        Assert.Null(lab.ProtectedSecret);
        Assert.Null(lab.TrustedThumbprint);
    }

    [Fact]
    public void QueueSync_AlreadyQueued_RefusedInPlainWords()
    {
        var environment = Verified();
        environment.QueueSync();

        Assert.Contains("already queued", Assert.Throws<DomainException>(environment.QueueSync).Message);
        environment.StartSync(Given.Now);
        Assert.Contains("already running", Assert.Throws<DomainException>(environment.QueueSync).Message);
    }

    [Fact]
    public void CompleteSync_ThenInterval_DueOnlyAfterIt()
    {
        var environment = Verified();
        environment.QueueSync();
        environment.StartSync(Given.Now);
        environment.CompleteSync(150, Given.Now.AddSeconds(5));

        Assert.Equal(SyncState.Succeeded, environment.SyncState);
        Assert.Equal(150, environment.VmCount);
        Assert.Equal(Given.Now.AddSeconds(5), environment.LastSyncSucceededAt);
        Assert.False(environment.IsSyncDue(Given.Now.AddMinutes(59)));
        Assert.True(environment.IsSyncDue(Given.Now.AddMinutes(60)));
    }

    [Fact]
    public void FailSync_KeepsTheLastGoodInventoryAndSaysWhy()
    {
        var environment = Verified();
        environment.QueueSync();
        environment.StartSync(Given.Now);
        environment.CompleteSync(10, Given.Now);
        environment.QueueSync();
        environment.StartSync(Given.Now.AddHours(1));
        environment.FailSync("vc.example.com:443 did not answer in time.", Given.Now.AddHours(1));

        Assert.Equal(SyncState.Failed, environment.SyncState);
        Assert.Equal(EnvironmentStatus.Failing, environment.Status);
        Assert.Equal(10, environment.VmCount);
        Assert.Equal(Given.Now, environment.LastSyncSucceededAt);
        Assert.Equal("vc.example.com:443 did not answer in time.", environment.LastSyncError);
        Assert.True(environment.CanSync);
    }

    [Fact]
    public void FailSync_VeryLongError_Clipped()
    {
        var environment = Verified();
        environment.FailSync(new string('x', 5000), Given.Now);

        Assert.Equal(SourceEnvironment.MaxErrorLength, environment.LastSyncError!.Length);
        Assert.EndsWith("...", environment.LastSyncError);
    }

    [Fact]
    public void Update_NullSecret_KeepsTheStoredOne()
    {
        var environment = Verified();

        environment.Update(VCenter with { Name = "Renamed" }, null, "AA:BB", verified: true, Given.Now);

        Assert.Equal("protected", environment.ProtectedSecret);
        Assert.Equal("Renamed", environment.Name);
    }

    [Fact]
    public void Update_Unverified_BecomesUnverified()
    {
        var environment = Verified();

        environment.Update(VCenter, "new", "CC:DD", verified: false, Given.Now);

        Assert.Equal(EnvironmentStatus.Unverified, environment.Status);
        Assert.Equal("new", environment.ProtectedSecret);
    }

    [Fact]
    public void Update_OtherKind_Refused()
    {
        var environment = Verified();

        Assert.Throws<DomainException>(() => environment.Update(VCenter with { Kind = EnvironmentKind.XenOrchestra }, null, null, verified: false, Given.Now));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(24 * 60 + 1)]
    public void SetSyncInterval_OutOfRange_Refused(int minutes)
    {
        Assert.Throws<DomainException>(() => Verified().SetSyncInterval(minutes));
    }

    [Fact]
    public void SetHypervisorAccess_XenOrchestraWithPoolMaster_KeptUntilTheAddressIsCleared()
    {
        var details = new EnvironmentDetails("Lyon", EnvironmentKind.XenOrchestra, "https://xo.example.com", null) { HypervisorEndpoint = "https://xcp.example.com", HypervisorUserName = "root" };
        var environment = SourceEnvironment.Register(details, "token", "AA", verified: true, Given.Now);

        environment.SetHypervisorAccess("xapi-protected", "BB");
        environment.SetHypervisorAccess(null, "CC");
        Assert.Equal("xapi-protected", environment.ProtectedHypervisorSecret);
        Assert.Equal("CC", environment.HypervisorThumbprint);

        environment.Update(details with { HypervisorEndpoint = null }, null, "AA", verified: true, Given.Now);
        Assert.Null(environment.HypervisorEndpoint);
        Assert.Null(environment.ProtectedHypervisorSecret);
        Assert.Null(environment.HypervisorThumbprint);
    }

    [Fact]
    public void Register_VCenterWithPoolMasterFields_IgnoresThem()
    {
        var environment = SourceEnvironment.Register(VCenter with { HypervisorEndpoint = "https://xcp.example.com", HypervisorUserName = "root" }, "p", "AA", verified: true, Given.Now);
        environment.SetHypervisorAccess("xapi", "BB");

        Assert.Null(environment.HypervisorEndpoint);
        Assert.Null(environment.ProtectedHypervisorSecret);
    }
}
