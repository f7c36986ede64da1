using ProviderPortal.Domain.Environments;

namespace ProviderPortal.Domain.Tests.Environments;

public class EnvironmentDetailsTests
{
    [Theory]
    [InlineData("https://vcenter.example.com")]
    [InlineData("https://10.0.0.5:8443")]
    [InlineData("  https://xo.example.com/  ")]
    public void Validate_HttpsAddress_NoEndpointError(string endpoint)
    {
        var errors = new EnvironmentDetails("Frankfurt", EnvironmentKind.VCenter, endpoint, "u@vsphere.local").Validate();

        Assert.Empty(errors);
    }

    [Theory]
    [InlineData(null, "Enter the address")]
    [InlineData("vcenter.example.com", "is not a web address")]
    [InlineData("ftp://vcenter.example.com", "must start with https://")]
    [InlineData("http://vcenter.example.com", "must start with https://")]
    [InlineData("https://root:secret@vcenter.example.com", "Leave the user name and password out")]
    [InlineData("https://vcenter.example.com/?x=1", "cannot have a query")]
    public void Validate_BadAddress_PlainMessage(string? endpoint, string expected)
    {
        var errors = new EnvironmentDetails("Frankfurt", EnvironmentKind.VCenter, endpoint, "u@vsphere.local").Validate();

        Assert.Contains(expected, errors["Endpoint"]);
    }

    [Fact]
    public void Validate_BadAddressWithCredentials_MessageNeverRepeatsThem()
    {
        var errors = new EnvironmentDetails("Frankfurt", EnvironmentKind.VCenter, "https://root:secret@vcenter.example.com", "u").Validate();

        Assert.DoesNotContain("secret", errors["Endpoint"]);
    }

    [Fact]
    public void Validate_Lab_NeedsOnlyAName()
    {
        Assert.Empty(new EnvironmentDetails("Lab", EnvironmentKind.Lab, null, null).Validate());
        Assert.Contains("Enter a name", new EnvironmentDetails(" ", EnvironmentKind.Lab, null, null).Validate()["Name"]);
    }

    [Fact]
    public void Validate_VCenterWithoutUser_AsksForIt()
    {
        var errors = new EnvironmentDetails("Frankfurt", EnvironmentKind.VCenter, "https://vc.example.com", " ").Validate();

        Assert.Contains("vCenter user name", errors["UserName"]);
    }

    [Fact]
    public void Validate_XenOrchestraWithoutUser_Valid()
    {
        Assert.Empty(new EnvironmentDetails("Lyon", EnvironmentKind.XenOrchestra, "https://xo.example.com", null).Validate());
    }

    [Fact]
    public void Validate_UnknownKind_SaysWhichKindsExist()
    {
        var errors = new EnvironmentDetails("X", (EnvironmentKind)42, "https://x.example.com", null).Validate();

        Assert.Contains("vCenter, Xen Orchestra or Lab", errors["Kind"]);
    }

    [Theory]
    [InlineData("nbd://nbd.provider.example:10809/{vm}-{disk}")]
    [InlineData("nbd+unix:///{vm}-{snapshot}-{disk}?socket=/run/nbd.sock")]
    public void Validate_VCenterNbdTemplate_Accepted(string template)
    {
        var details = new EnvironmentDetails("Frankfurt", EnvironmentKind.VCenter, "https://vc.example.com", "u") { NbdUriTemplate = template };

        Assert.Empty(details.Validate());
    }

    [Theory]
    [InlineData("https://nbd.example/{disk}", "Enter an NBD location")]
    [InlineData("nbd://nbd.example:notaport/{disk}", "Enter an NBD location")]
    [InlineData("nbd://nbd.example:10809/{vm}", "must name the disk with {disk}")]
    public void Validate_VCenterBadNbdTemplate_PlainMessage(string template, string expected)
    {
        var details = new EnvironmentDetails("Frankfurt", EnvironmentKind.VCenter, "https://vc.example.com", "u") { NbdUriTemplate = template };

        Assert.Contains(expected, details.Validate()["NbdUriTemplate"]);
    }

    [Fact]
    public void Validate_XenOrchestraPoolMaster_NeedsHttpsAndAUser()
    {
        var details = new EnvironmentDetails("Lyon", EnvironmentKind.XenOrchestra, "https://xo.example.com", null) { HypervisorEndpoint = "http://xcp.example.com" };

        var errors = details.Validate();

        Assert.Contains("must start with https://", errors["HypervisorEndpoint"]);
        Assert.Contains("pool master's user name", errors["HypervisorUserName"]);
    }
}
