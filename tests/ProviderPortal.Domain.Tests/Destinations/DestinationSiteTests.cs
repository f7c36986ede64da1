using ProviderPortal.Domain.Destinations;

namespace ProviderPortal.Domain.Tests.Destinations;

/// <summary>What a ProviderAdmin may enter for a destination, and where each tenant's disks land.</summary>
public class DestinationSiteTests
{
    private static readonly Guid TenantA = Guid.Parse("aaaaaaaa-0000-0000-0000-000000000001");
    private static readonly Guid TenantB = Guid.Parse("bbbbbbbb-0000-0000-0000-000000000002");
    private static readonly Guid Plan = Guid.Parse("cccccccc-0000-0000-0000-000000000003");

    private static readonly string Root = OperatingSystem.IsWindows() ? @"C:\destinations" : "/srv/destinations";

    private static DestinationDetails Local(string? location = null) => new(" Frankfurt lab ", DestinationKind.LocalStorage, location ?? Root, ["prod", " dmz "]);

    private static DestinationDetails Nbd(string template) => new("Frankfurt NBD", DestinationKind.Nbd, template, ["prod"]);

    [Fact]
    public void Create_Valid_TrimmedAndActive()
    {
        var site = DestinationSite.Create(Local(), Given.Now);

        Assert.Equal("Frankfurt lab", site.Name);
        Assert.Equal(["prod", "dmz"], site.Networks);
        Assert.False(site.Retired);
        Assert.Equal(Given.Now, site.CreatedAt);
    }

    [Fact]
    public void Validate_EverythingMissing_OnePlainMessagePerField()
    {
        var errors = new DestinationDetails(" ", DestinationKind.LocalStorage, "", []).Validate();

        Assert.Equal("Enter a name for the destination.", errors["Name"]);
        Assert.Equal("Enter the root folder of the disk images.", errors["Location"]);
        Assert.Equal("Name at least one destination network.", errors["Networks"]);
    }

    [Theory]
    [InlineData("relative/folder", "The root folder must be an absolute path, such as /var/lib/providerportal/destinations.")]
    [InlineData("", "Enter the root folder of the disk images.")]
    public void Validate_LocalStorageLocation_PlainMessage(string location, string expected) =>
        Assert.Equal(expected, Local(location).Validate()["Location"]);

    [Theory]
    [InlineData("", "Enter the NBD URI template of the exports.")]
    [InlineData("http://storage:10809/{tenant}-{vm}-{disk}", "The template must start with nbd:// or nbds://.")]
    [InlineData("nbd://storage:10809/{vm}-{disk}", "The template must name each disk apart: use {tenant}, {vm} and {disk} (and {plan} if you like).")]
    [InlineData("nbd://storage:10809/{tenant}-{vm}", "The template must name each disk apart: use {tenant}, {vm} and {disk} (and {plan} if you like).")]
    [InlineData("nbd://storage:10809/{tenant}-{disk}", "The template must name each disk apart: use {tenant}, {vm} and {disk} (and {plan} if you like).")]
    [InlineData("nbd:///{tenant}-{vm}-{disk}", "The template is not a valid NBD URI, such as nbd://storage.example:10809/{tenant}-{vm}-{disk}.")]
    public void Validate_NbdTemplate_PlainMessage(string template, string expected) =>
        Assert.Equal(expected, Nbd(template).Validate()["Location"]);

    [Theory]
    [InlineData("nbd://storage:10809/{tenant}-{vm}-{disk}")]
    [InlineData("nbds://storage.example/{tenant}/{plan}/{vm}-{disk}")]
    public void Validate_NbdTemplateWithPlaceholders_Valid(string template) =>
        Assert.Empty(Nbd(template).Validate());

    [Fact]
    public void Validate_UnknownKind_AsksToChoose() =>
        Assert.Equal("Choose local storage or NBD.", new DestinationDetails("x", (DestinationKind)7, Root, ["prod"]).Validate()["Kind"]);

    [Fact]
    public void Validate_TooLong_SaysTheLimits()
    {
        var errors = new DestinationDetails(new string('n', 101), DestinationKind.LocalStorage, Root + "/" + new string('l', 400), [new string('x', 101)]).Validate();

        Assert.Equal("The name can be at most 100 characters.", errors["Name"]);
        Assert.Equal("The location can be at most 400 characters.", errors["Location"]);
        Assert.Equal("Each network needs a name of at most 100 characters; at most 64 networks.", errors["Networks"]);
    }

    [Fact]
    public void Validate_NetworkTwiceInAnyCase_Refused() =>
        Assert.Equal("Each network can be listed only once.", (Local() with { Networks = ["prod", "PROD "] }).Validate()["Networks"]);

    [Fact]
    public void Create_Invalid_ThrowsTheMessages()
    {
        var error = Assert.Throws<DomainException>(() => DestinationSite.Create(Local("relative"), Given.Now));

        Assert.Contains("must be an absolute path", error.Message);
    }

    [Fact]
    public void Update_KindChanged_RefusedAndNothingChanges()
    {
        var site = DestinationSite.Create(Local(), Given.Now);

        var error = Assert.Throws<DomainException>(() => site.Update(Nbd("nbd://storage:10809/{tenant}-{vm}-{disk}")));

        Assert.Equal("The kind of a destination cannot change: add a new destination instead.", error.Message);
        Assert.Equal(DestinationKind.LocalStorage, site.Kind);
        Assert.Equal("Frankfurt lab", site.Name);
    }

    [Fact]
    public void Update_SameKind_Applied()
    {
        var site = DestinationSite.Create(Local(), Given.Now);

        site.Update(Local() with { Name = "Renamed", Networks = ["prod"] });

        Assert.Equal("Renamed", site.Name);
        Assert.Equal(["prod"], site.Networks);
    }

    [Fact]
    public void RetireReinstate_TogglesRetired()
    {
        var site = DestinationSite.Create(Local(), Given.Now);

        site.Retire();
        Assert.True(site.Retired);
        site.Reinstate();

        Assert.False(site.Retired);
    }

    [Fact]
    public void TargetFor_LocalStorage_UnderTheTenantsOwnRoot()
    {
        var site = DestinationSite.Create(Local(), Given.Now);

        var a = site.TargetFor(TenantA, Plan, "vm-1", "2000");
        var b = site.TargetFor(TenantB, Plan, "vm-1", "2000");

        Assert.Equal(Path.Combine(Root, TenantA.ToString("N"), Plan.ToString("N"), "vm-1", "2000.img"), a);
        Assert.NotEqual(a, b);
        Assert.StartsWith(site.TenantRoot(TenantA) + Path.DirectorySeparatorChar, a);
        Assert.False(b.StartsWith(site.TenantRoot(TenantA)!, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("../x", "2000")]
    [InlineData("..", "..")]
    [InlineData("a/b", "../../etc/passwd")]
    [InlineData("vm-1", "..\\..\\other")]
    [InlineData("/abs/path", ".")]
    [InlineData("", "")]
    public void TargetFor_HostileIds_StayUnderTheTenantsRoot(string vmId, string diskKey)
    {
        var site = DestinationSite.Create(Local(), Given.Now);
        var tenantRoot = site.TenantRoot(TenantA)! + Path.DirectorySeparatorChar;

        var target = site.TargetFor(TenantA, Plan, vmId, diskKey);

        Assert.Equal(target, Path.GetFullPath(target));
        Assert.StartsWith(tenantRoot + Plan.ToString("N") + Path.DirectorySeparatorChar, target);
        var relative = target[(tenantRoot.Length + 33)..];
        Assert.Single(relative.Split(Path.DirectorySeparatorChar), s => s.EndsWith(".img", StringComparison.Ordinal));
        Assert.Equal(2, relative.Split(Path.DirectorySeparatorChar).Length);
    }

    [Theory]
    [InlineData("../x", "_._x")]
    [InlineData("a/b", "a_b")]
    [InlineData("..", "_.")]
    [InlineData(".", "_")]
    [InlineData("", "_")]
    [InlineData("vm-1_ok.2", "vm-1_ok.2")]
    public void SafeName_OneHarmlessSegment(string id, string expected) =>
        Assert.Equal(expected, DestinationSite.SafeName(id));

    [Fact]
    public void TargetFor_Nbd_FillsEveryPlaceholderAndKeepsTenantsApart()
    {
        var site = DestinationSite.Create(Nbd("nbd://storage:10809/{tenant}-{plan}-{vm}-{disk}"), Given.Now);

        var a = site.TargetFor(TenantA, Plan, "vm 1/../x", "2000");
        var b = site.TargetFor(TenantB, Plan, "vm 1/../x", "2000");

        Assert.Equal($"nbd://storage:10809/{TenantA:N}-{Plan:N}-vm_1_.._x-2000", a);
        Assert.NotEqual(a, b);
        Assert.DoesNotContain("{", a);
        Assert.Null(site.TenantRoot(TenantA));
    }
}
