// The tenant-scoped worker process. Its replication commands (copy, verify) and the portal connection
// arrive with the replication engine (issue 3) and the workers (issue 6); until then it says so plainly.
using System.Reflection;

var version = Assembly.GetExecutingAssembly().GetName().Version;
Console.Error.WriteLine($"providerportal-worker {version}");
Console.Error.WriteLine("No command is available in this version yet: the copy and verify commands and the portal connection are not built.");
return args.Length == 0 ? 0 : 2;
