using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Xunit.Abstractions;
using YamlDotNet.RepresentationModel;

namespace ProviderPortal.Web.Tests.Deploy;

/// <summary>
/// The files of deploy/ are checked by the tools that will read them where a tool runs here (nginx -t,
/// systemd-analyze verify) and read by the test itself otherwise (compose.yaml, the Dockerfiles; no
/// Docker daemon runs on the test machines). Every test reads the real file and fails when it is missing.
/// </summary>
public sealed partial class DeployFilesTests(ITestOutputHelper output)
{
    internal static readonly string Root = FindRepositoryRoot();
    private static readonly string DeployDirectory = Path.Combine(Root, "deploy");

    // ---------------------------------------------------------------- nginx

    /// <summary>
    /// The real nginx binary tests the real deploy/nginx files, copied into a temporary prefix with only what
    /// cannot work on a test machine replaced: the compose host names portal-1/portal-2 become loopback
    /// addresses (same ports), the certificate paths point at a throwaway self-signed pair made here with
    /// openssl, the listen ports 80/443 become free high ports (nginx -t binds them, and a non-root user may
    /// not bind below 1024), and temp paths inside the prefix are added to the wrapper's http block (the
    /// distribution's defaults under /var/lib/nginx are root's).
    /// </summary>
    [Fact]
    public void NginxConfig_PassesNginxTest()
    {
        using var prefix = new TempDirectory("nginx-test");
        var (configPath, _, _) = PrepareNginx(prefix.Path, new Dictionary<string, string>
        {
            ["portal-1:8080"] = "127.0.0.1:8080",
            ["portal-2:8080"] = "127.0.0.2:8080",
        });

        var (exitCode, text) = Run(FindNginx(), ["-t", "-p", prefix.Path + "/", "-c", configPath, "-e", "stderr", "-g", $"pid {prefix.Path}/nginx.pid;"], TimeSpan.FromSeconds(30));
        output.WriteLine(text);
        Assert.True(exitCode == 0, $"nginx -t failed (exit {exitCode}):\n{text}");
        Assert.Contains("test is successful", text, StringComparison.Ordinal);
    }

    /// <summary>Parsed, not grepped: the upstream is sticky, and both WebSocket locations pass the upgrade on.</summary>
    [Fact]
    public void NginxConfig_PassesWebSocketsForBlazorAndHubs_AndSticksClientsToOneNode()
    {
        var config = NginxConfig.Load(Path.Combine(DeployDirectory, "nginx", "nginx.conf"));
        var http = Assert.Single(config, d => d.Name == "http");
        Assert.NotNull(http.Block);

        var upgradeMap = Assert.Single(http.Children("map"), m => m.Args.SequenceEqual(["$http_upgrade", "$connection_upgrade"]));
        Assert.Contains(upgradeMap.Block!, d => d.Name == "default" && d.Args.SequenceEqual(["upgrade"]));
        Assert.Contains(upgradeMap.Block!, d => d.Name.Length == 0 && d.Args.SequenceEqual(["close"]));   // "" close;

        var upstream = Assert.Single(http.Children("upstream"), u => u.Args.SequenceEqual(["portal"]));
        Assert.True(upstream.Children("ip_hash").Any() || upstream.Children("hash").Any(), "The upstream must stick a client to one node (ip_hash or hash): Blazor Server keeps the circuit in one node's memory.");
        var nodes = upstream.Children("server").Select(s => s.Args[0]).ToList();
        Assert.Equal(["portal-1:8080", "portal-2:8080"], nodes);

        var server = Assert.Single(http.Children("server"));
        var listens = server.Children("listen").Select(l => string.Join(' ', l.Args)).ToList();
        Assert.Contains("443 ssl", listens);
        Assert.Single(server.Children("ssl_certificate"));
        Assert.Single(server.Children("ssl_certificate_key"));
        Assert.Single(server.Children("client_max_body_size"));

        foreach (var path in new[] { "/_blazor", "/hubs/" })
        {
            var location = Assert.Single(server.Children("location"), l => l.Args.SequenceEqual([path]));
            var headers = location.Children("proxy_set_header").Select(h => string.Join(' ', h.Args)).ToList();
            Assert.Contains("Upgrade $http_upgrade", headers);
            Assert.Contains("Connection $connection_upgrade", headers);
            Assert.Contains("X-Forwarded-For $proxy_add_x_forwarded_for", headers);
            Assert.Contains("X-Forwarded-Proto $scheme", headers);
            Assert.Equal(["http://portal"], Assert.Single(location.Children("proxy_pass")).Args);
            Assert.Equal(["1.1"], Assert.Single(location.Children("proxy_http_version")).Args);
            var readTimeout = NginxSeconds(Assert.Single(location.Children("proxy_read_timeout")).Args[0]);
            Assert.True(readTimeout >= 300, $"{path}: proxy_read_timeout {readTimeout} s is too short for a long-lived WebSocket.");
        }

        var root = Assert.Single(server.Children("location"), l => l.Args.SequenceEqual(["/"]));
        Assert.Contains("X-Forwarded-Proto $scheme", root.Children("proxy_set_header").Select(h => string.Join(' ', h.Args)));
    }

    /// <summary>
    /// nginx really runs the config (host names and listen/upstream ports replaced as in the test above) in
    /// front of two fake nodes: a client without a cookie gets the affinity cookie; the same cookie always
    /// reaches the same node while different clients spread over both; a WebSocket upgrade to /_blazor and
    /// /hubs/ reaches a node with its Upgrade header and the switched connection carries bytes; https is
    /// forwarded as X-Forwarded-Proto and makes the cookie Secure.
    /// </summary>
    [Fact]
    public async Task NginxConfig_RunsInFrontOfTwoNodes_StickyAndWithWebSockets()
    {
        using var prefix = new TempDirectory("nginx-run");
        await using var node1 = FakeNode.Start("node-1");
        await using var node2 = FakeNode.Start("node-2");
        var (configPath, httpPort, httpsPort) = PrepareNginx(prefix.Path, new Dictionary<string, string>
        {
            ["portal-1:8080"] = $"127.0.0.1:{node1.Port}",
            ["portal-2:8080"] = $"127.0.0.1:{node2.Port}",
        });

        using var nginx = Process.Start(new ProcessStartInfo(FindNginx())
        {
            ArgumentList = { "-p", prefix.Path + "/", "-c", configPath, "-e", "stderr", "-g", $"pid {prefix.Path}/nginx.pid; daemon off; master_process off;" },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        var log = new StringBuilder();
        nginx.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        nginx.BeginErrorReadLine();
        try
        {
            await WaitForPortAsync(httpPort, nginx, log);
            using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false });
            var baseUrl = $"http://127.0.0.1:{httpPort}";

            // No cookie yet: a node answers, and the affinity cookie comes back (without Secure on plain http).
            using (var first = await http.GetAsync(new Uri($"{baseUrl}/Account/Login")))
            {
                var body = await first.Content.ReadAsStringAsync();
                Assert.True(first.IsSuccessStatusCode, body);
                var cookie = Assert.Single(first.Headers.GetValues("Set-Cookie"), c => c.StartsWith("portal_affinity=", StringComparison.Ordinal));
                Assert.DoesNotContain("Secure", cookie, StringComparison.Ordinal);
                Assert.Contains("proto=http;", body, StringComparison.Ordinal);
            }

            // One cookie, one node; twenty clients, both nodes.
            var nodesSeen = new HashSet<string>();
            for (var client = 0; client < 20; client++)
            {
                var nodesOfClient = new HashSet<string>();
                for (var request = 0; request < 4; request++)
                {
                    using var message = new HttpRequestMessage(HttpMethod.Get, $"{baseUrl}/page/{request}");
                    message.Headers.Add("Cookie", $"portal_affinity=client-{client}");
                    using var response = await http.SendAsync(message);
                    var body = await response.Content.ReadAsStringAsync();
                    Assert.True(response.IsSuccessStatusCode, body);
                    Assert.False(response.Headers.Contains("Set-Cookie"), "A client that has the cookie must not get a new one.");
                    nodesOfClient.Add(body.Split('|')[0]);
                }

                Assert.Single(nodesOfClient);
                nodesSeen.UnionWith(nodesOfClient);
            }

            Assert.Equal(["node-1", "node-2"], nodesSeen.Order());

            // WebSockets through both long-lived locations: the node sees the upgrade, and bytes flow after 101.
            foreach (var path in new[] { "/_blazor?id=circuit", "/hubs/workers?id=worker" })
            {
                var (status, headersSeen, tunnelled) = await UpgradeAsync(httpPort, path);
                Assert.Equal(101, status);
                Assert.Contains("upgrade=websocket;", headersSeen, StringComparison.Ordinal);
                Assert.Contains("connection=upgrade;", headersSeen, StringComparison.OrdinalIgnoreCase);
                Assert.Equal("tunnel-ok", tunnelled);
            }

            // TLS on the 443 listener (the throwaway certificate): X-Forwarded-Proto https and a Secure cookie.
            using var https = new HttpClient(new SocketsHttpHandler
            {
                UseCookies = false,
                SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
            });
            using (var secure = await https.GetAsync(new Uri($"https://127.0.0.1:{httpsPort}/")))
            {
                var body = await secure.Content.ReadAsStringAsync();
                Assert.True(secure.IsSuccessStatusCode, body);
                Assert.Contains("proto=https;", body, StringComparison.Ordinal);
                Assert.Contains("xff=127.0.0.1;", body, StringComparison.Ordinal);
                Assert.Contains("Secure", Assert.Single(secure.Headers.GetValues("Set-Cookie")), StringComparison.Ordinal);
            }
        }
        finally
        {
            if (!nginx.HasExited)
            {
                nginx.Kill();
            }

            await nginx.WaitForExitAsync();
            lock (log)
            {
                output.WriteLine(log.ToString());
            }
        }
    }

    // ---------------------------------------------------------------- compose

    [Fact]
    public void Compose_Parses_AndIsCoherent()
    {
        var composeDirectory = DeployDirectory;
        var root = LoadYaml(Path.Combine(composeDirectory, "compose.yaml"));
        var services = Mapping(root, "services");
        var serviceNames = services.Children.Keys.Select(k => k.ToString()).ToHashSet();
        var declaredSecrets = OptionalMapping(root, "secrets")?.Children.Keys.Select(k => k.ToString()).ToHashSet() ?? [];
        var declaredVolumes = OptionalMapping(root, "volumes")?.Children.Keys.Select(k => k.ToString()).ToHashSet() ?? [];

        foreach (var (nameNode, serviceNode) in services.Children)
        {
            var name = nameNode.ToString();
            var service = (YamlMappingNode)serviceNode;
            Assert.True(service.Children.ContainsKey("image") || service.Children.ContainsKey("build"), $"{name}: neither image nor build.");

            foreach (var dependency in DependsOn(service))
            {
                Assert.True(serviceNames.Contains(dependency), $"{name} depends on '{dependency}', which is not a service.");
            }

            foreach (var secret in SecretsOf(service))
            {
                Assert.True(declaredSecrets.Contains(secret), $"{name} uses the secret '{secret}', which is not declared under secrets:.");
            }

            foreach (var (source, target) in Mounts(service))
            {
                if (source.StartsWith('.') || source.StartsWith('/'))
                {
                    Assert.True(File.Exists(Path.Combine(composeDirectory, source)) || Directory.Exists(Path.Combine(composeDirectory, source)),
                        $"{name} mounts {source} (at {target}), which does not exist beside compose.yaml.");
                }
                else
                {
                    Assert.True(declaredVolumes.Contains(source), $"{name} mounts the volume '{source}', which is not declared under volumes:.");
                }
            }

            if (service.Children.TryGetValue("build", out var buildNode))
            {
                var build = (YamlMappingNode)buildNode;
                var context = Path.GetFullPath(Path.Combine(composeDirectory, Scalar(build, "context")));
                Assert.True(File.Exists(Path.Combine(context, "ProviderPortal.sln")), $"{name}: the build context {context} is not the repository root.");
                Assert.True(File.Exists(Path.Combine(context, Scalar(build, "dockerfile"))), $"{name}: no {Scalar(build, "dockerfile")} in {context}.");
            }
        }

        // Every declared secret's file exists as an example (the real file is git-ignored and made by the operator).
        foreach (var (secretName, secretNode) in Mapping(root, "secrets").Children)
        {
            var file = Path.Combine(composeDirectory, Scalar((YamlMappingNode)secretNode, "file"));
            Assert.True(File.Exists(file + ".example"), $"The secret {secretName} reads {file}: there is no {file}.example to copy.");
        }

        Assert.Contains("/deploy/secrets/*", File.ReadAllLines(Path.Combine(Root, ".gitignore")));

        // Two portal nodes, clustered on SQL Server, with the backplane, and no local workers.
        var portalNodes = new[] { "portal-1", "portal-2" };
        var keyVolumes = new List<string>();
        foreach (var node in portalNodes)
        {
            var service = Assert.IsType<YamlMappingNode>(services.Children[node]);
            var environment = EnvironmentOf(service);
            Assert.Equal("SqlServer", environment.GetValueOrDefault("Database__Provider"));
            Assert.Equal("true", environment.GetValueOrDefault("Scheduler__Clustered"));
            Assert.Equal("false", environment.GetValueOrDefault("Workers__Local"));
            Assert.True(environment.ContainsKey("Database__ConnectionString") || environment.ContainsKey("Database__ConnectionString_FILE"), $"{node}: no connection string.");
            if (environment.TryGetValue("Database__ConnectionString_FILE", out var connectionFile))
            {
                Assert.StartsWith("/run/secrets/", connectionFile, StringComparison.Ordinal);
                Assert.Contains(connectionFile["/run/secrets/".Length..], SecretsOf(service));
            }

            var redisHost = environment.GetValueOrDefault("SignalR__Redis")?.Split(':')[0];
            Assert.True(redisHost is not null && serviceNames.Contains(redisHost), $"{node}: SignalR__Redis must name the redis service.");
            Assert.Equal("/data", environment.GetValueOrDefault("Portal__DataDirectory"));

            var keys = Assert.Single(Mounts(service), m => m.Target == "/data/keys");
            Assert.DoesNotContain('/', keys.Source);   // a named volume, not a node-local folder
            keyVolumes.Add(keys.Source);
        }

        Assert.Single(keyVolumes.Distinct());   // ONE key ring for both nodes

        // The database and the proxy.
        Assert.StartsWith("mcr.microsoft.com/mssql/server:2022", Scalar(Mapping(services, "sqlserver"), "image"), StringComparison.Ordinal);
        Assert.True(Mapping(services, "sqlserver").Children.ContainsKey("healthcheck"), "SQL Server needs a healthcheck (the portal waits for it).");
        Assert.StartsWith("redis:7", Scalar(Mapping(services, "redis"), "image"), StringComparison.Ordinal);
        var proxyMounts = Mounts(Mapping(services, "nginx")).Select(m => m.Source).ToList();
        Assert.Contains("./nginx/nginx.conf", proxyMounts);
        Assert.Contains("./nginx/portal.conf", proxyMounts);

        // The tenant worker: connect to the proxy with a token from a secret, into a mounted destination root.
        var worker = Mapping(services, "worker-tenant-a");
        var command = ((YamlSequenceNode)worker.Children["command"]).Children.Select(c => c.ToString()).ToList();
        Assert.Equal("connect", command[0]);
        Assert.Equal("http://nginx/", command[command.IndexOf("--portal") + 1]);
        var tokenFile = command[command.IndexOf("--token-file") + 1];
        Assert.Equal("/run/secrets/worker-token-a", tokenFile);
        Assert.Contains("worker-token-a", SecretsOf(worker));
        var dataRoot = command[command.IndexOf("--data-root") + 1];
        Assert.Contains(Mounts(worker), m => m.Target == dataRoot);
    }

    // ---------------------------------------------------------------- systemd

    /// <summary>
    /// Both ways: the units are read here (sections, required keys, example env files), and, where
    /// systemd-analyze is installed (it works without a running systemd), `systemd-analyze verify` checks
    /// them against systemd's own parser in a throwaway root: the system's unit files copied in, the units
    /// under /etc/systemd/system, and empty stand-ins at the ExecStart paths (verify insists the binary exists).
    /// </summary>
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void SystemdUnits_Parse_AndReferenceExistingExamples()
    {
        var directory = Path.Combine(DeployDirectory, "systemd");
        var units = new[] { "providerportal-portal.service", "providerportal-worker@.service" };
        foreach (var unitName in units)
        {
            var unit = ReadUnit(Path.Combine(directory, unitName));
            Assert.Equal(["Install", "Service", "Unit"], unit.Keys.Order(StringComparer.Ordinal));
            var service = unit["Service"];
            foreach (var required in new[] { "ExecStart", "User", "Restart", "NoNewPrivileges", "ProtectSystem", "ReadWritePaths", "PrivateTmp" })
            {
                Assert.True(service.ContainsKey(required), $"{unitName}: [Service] has no {required}=.");
            }

            Assert.NotEqual("root", service["User"].Single());
            Assert.Equal("strict", service["ProtectSystem"].Single());
            Assert.Equal("on-failure", service["Restart"].Single());
            Assert.Contains("WantedBy", unit["Install"].Keys);

            // Every environment file has its example in deploy/, and every ${VAR} of ExecStart is set by one
            // of them or by systemd itself.
            var defined = new HashSet<string>(StringComparer.Ordinal) { "CREDENTIALS_DIRECTORY" };
            foreach (var environmentFile in service.GetValueOrDefault("EnvironmentFile") ?? [])
            {
                var example = Path.Combine(directory, Path.GetFileName(environmentFile.TrimStart('-')) + ".example");
                Assert.True(File.Exists(example), $"{unitName}: EnvironmentFile={environmentFile} has no example {example}.");
                foreach (var line in File.ReadAllLines(example).Where(l => l.Contains('=', StringComparison.Ordinal) && !l.TrimStart().StartsWith('#')))
                {
                    defined.Add(line[..line.IndexOf('=', StringComparison.Ordinal)].Trim());
                }
            }

            var execStart = service["ExecStart"].Single();
            foreach (Match variable in UnitVariable().Matches(execStart))
            {
                Assert.True(defined.Contains(variable.Groups[1].Value), $"{unitName}: ExecStart uses ${{{variable.Groups[1].Value}}}, set by no environment file example.");
            }
        }

        var portal = ReadUnit(Path.Combine(directory, units[0]))["Service"];
        Assert.Equal("/etc/providerportal/portal.env", portal["EnvironmentFile"].Single());
        Assert.Contains("/var/lib/providerportal/portal", portal["ReadWritePaths"].Single(), StringComparison.Ordinal);
        Assert.Contains("Portal__DataDirectory=/var/lib/providerportal/portal", File.ReadAllLines(Path.Combine(directory, "portal.env.example")));

        var worker = ReadUnit(Path.Combine(directory, units[1]))["Service"];
        Assert.Equal("worker-token:/etc/providerportal/workers/%i.token", worker["LoadCredential"].Single());
        Assert.Contains("--token-file ${CREDENTIALS_DIRECTORY}/worker-token", worker["ExecStart"].Single(), StringComparison.Ordinal);
        Assert.Contains("--data-root /var/lib/providerportal/destinations/%i", worker["ExecStart"].Single(), StringComparison.Ordinal);
        Assert.Equal("/var/lib/providerportal/destinations/%i", worker["ReadWritePaths"].Single());

        var analyze = FindExecutable("systemd-analyze");
        if (analyze is null)
        {
            output.WriteLine("systemd-analyze is not installed: the units were checked by this test's own reading only.");
            return;
        }

        using var systemRoot = new TempDirectory("systemd-root");
        var unitDirectory = Directory.CreateDirectory(Path.Combine(systemRoot.Path, "etc", "systemd", "system")).FullName;
        CopyDirectory(SystemUnitDirectory(), Path.Combine(systemRoot.Path, "usr", "lib", "systemd", "system"));
        foreach (var unitName in units)
        {
            File.Copy(Path.Combine(directory, unitName), Path.Combine(unitDirectory, unitName));
            var executable = ReadUnit(Path.Combine(directory, unitName))["Service"]["ExecStart"].Single().Split(' ')[0];
            var standIn = Path.Combine(systemRoot.Path, executable.TrimStart('/'));
            Directory.CreateDirectory(Path.GetDirectoryName(standIn)!);
            File.WriteAllText(standIn, "#!/bin/sh\n");
            File.SetUnixFileMode(standIn, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        var (exitCode, text) = Run(analyze, ["verify", $"--root={systemRoot.Path}", "--man=no", "providerportal-portal.service", "providerportal-worker@tenant-a.service"], TimeSpan.FromSeconds(60));
        output.WriteLine($"systemd-analyze verify (exit {exitCode}):\n{text}");
        Assert.True(exitCode == 0, $"systemd-analyze verify failed (exit {exitCode}):\n{text}");
        // verify exits 0 on unknown keys and other warnings: any message at all is a finding.
        Assert.True(string.IsNullOrWhiteSpace(text), $"systemd-analyze verify reported:\n{text}");
    }

    // ---------------------------------------------------------------- Dockerfiles

    [Theory]
    [InlineData("portal.Dockerfile", "src/ProviderPortal.Web/ProviderPortal.Web.csproj", "mcr.microsoft.com/dotnet/aspnet:10.0")]
    [InlineData("worker.Dockerfile", "src/ProviderPortal.Worker/ProviderPortal.Worker.csproj", "mcr.microsoft.com/dotnet/runtime-deps:10.0")]
    public void Dockerfile_CopiesExistingPaths_AndBuildsExistingProjects(string dockerfile, string project, string runtimeImage)
    {
        var instructions = ReadDockerfile(Path.Combine(DeployDirectory, dockerfile));
        var ignored = File.ReadAllLines(Path.Combine(Root, ".dockerignore"))
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();

        // Every COPY from the build context names something that exists and that .dockerignore lets through.
        foreach (var (keyword, arguments) in instructions.Where(i => i.Keyword == "COPY"))
        {
            var words = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Any(w => w.StartsWith("--from=", StringComparison.Ordinal)))
            {
                continue;
            }

            foreach (var source in words.Where(w => !w.StartsWith("--", StringComparison.Ordinal)).SkipLast(1))
            {
                var path = Path.Combine(Root, source.TrimEnd('/'));
                Assert.True(File.Exists(path) || Directory.Exists(path), $"{dockerfile}: {keyword} {source}: not in the repository.");
                var excludedBy = ignored.FirstOrDefault(pattern => !pattern.StartsWith("**", StringComparison.Ordinal)
                    && (source.TrimEnd('/') + "/").StartsWith(pattern.TrimEnd('/') + "/", StringComparison.Ordinal));
                Assert.True(excludedBy is null, $"{dockerfile}: {keyword} {source} is excluded from the build context by .dockerignore ({excludedBy}).");
            }
        }

        // The projects it restores and publishes exist, and the published one is the expected project.
        var dotnetRuns = instructions.Where(i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet ", StringComparison.Ordinal)).ToList();
        var projects = dotnetRuns.SelectMany(r => ProjectPath().Matches(r.Arguments).Select(m => m.Value)).ToList();
        Assert.NotEmpty(projects);
        foreach (var path in projects)
        {
            Assert.True(File.Exists(Path.Combine(Root, path)), $"{dockerfile} builds {path}, which does not exist.");
        }

        Assert.Contains(dotnetRuns, r => r.Arguments.Contains($"dotnet publish {project}", StringComparison.Ordinal));

        // The restore runs on project files alone: each project the build needs is copied before it.
        var restoreIndex = instructions.FindIndex(i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet restore", StringComparison.Ordinal));
        Assert.True(restoreIndex > 0, $"{dockerfile}: no dotnet restore.");
        var copiedBeforeRestore = instructions.Take(restoreIndex).Where(i => i.Keyword == "COPY").Select(i => i.Arguments).ToList();
        foreach (var needed in ProjectClosure(project))
        {
            Assert.True(copiedBeforeRestore.Any(c => c.Contains(needed, StringComparison.Ordinal)), $"{dockerfile}: {needed} (referenced by {project}) is not copied before the restore.");
        }

        // The runtime stage: the expected base image, a non-root user.
        var lastFrom = instructions.FindLastIndex(i => i.Keyword == "FROM");
        Assert.StartsWith(runtimeImage, instructions[lastFrom].Arguments, StringComparison.Ordinal);
        Assert.Contains(instructions, i => i.Keyword == "FROM" && i.Arguments.StartsWith("mcr.microsoft.com/dotnet/sdk:10.0", StringComparison.Ordinal));
        var users = instructions.Skip(lastFrom).Where(i => i.Keyword == "USER").Select(i => i.Arguments).ToList();
        Assert.True(users.Count > 0 && users[^1] is not ("root" or "0"), $"{dockerfile}: the runtime stage must switch to a non-root USER.");

        if (dockerfile == "portal.Dockerfile")
        {
            Assert.Contains(instructions, i => i.Keyword == "EXPOSE" && i.Arguments == "8080");
            Assert.Contains(instructions.Skip(lastFrom), i => i.Keyword == "HEALTHCHECK" && i.Arguments.Contains("/health", StringComparison.Ordinal));
            Assert.Contains(instructions, i => i.Keyword == "RUN" && i.Arguments.Contains("npm --version", StringComparison.Ordinal));
        }
        else
        {
            Assert.Contains(dotnetRuns, r => r.Arguments.Contains("-p:PublishAot=true", StringComparison.Ordinal) && r.Arguments.Contains("dotnet publish", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void DockerIgnore_KeepsBuildOutputsDataAndSecretsOutOfTheContext()
    {
        var patterns = File.ReadAllLines(Path.Combine(Root, ".dockerignore")).Select(l => l.Trim()).ToHashSet();
        foreach (var expected in new[] { ".git", "**/bin/", "**/obj/", "**/node_modules/", "data/", "artifacts/", "deploy/secrets/" })
        {
            Assert.Contains(expected, patterns);
        }
    }

    /// <summary>The portal image's entrypoint turns Section__Key_FILE into Section__Key and leaves other *_FILE variables alone.</summary>
    [Fact]
    public void PortalEntrypoint_ReadsConfigurationSecretsFromFiles()
    {
        using var directory = new TempDirectory("entrypoint");
        var secret = Path.Combine(directory.Path, "connection");
        File.WriteAllText(secret, "Server=sql;Password=p a$s;\n");
        var start = new ProcessStartInfo("/bin/sh")
        {
            ArgumentList = { Path.Combine(DeployDirectory, "docker", "portal-entrypoint.sh"), "/bin/sh", "-c", "printf '%s|%s|%s' \"$Database__ConnectionString\" \"${Database__ConnectionString_FILE-unset}\" \"$OTHER_FILE\"" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["Database__ConnectionString_FILE"] = secret;
        start.Environment["OTHER_FILE"] = "/etc/hostname";
        using var process = Process.Start(start)!;
        var text = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        Assert.Equal("Server=sql;Password=p a$s;|unset|/etc/hostname", text);
    }

    // ---------------------------------------------------------------- helpers

    private static (string ConfigPath, int HttpPort, int HttpsPort) PrepareNginx(string prefix, Dictionary<string, string> upstreams)
    {
        var source = Path.Combine(DeployDirectory, "nginx");
        var conf = Directory.CreateDirectory(Path.Combine(prefix, "conf")).FullName;
        var certs = Directory.CreateDirectory(Path.Combine(prefix, "certs")).FullName;
        var temp = Directory.CreateDirectory(Path.Combine(prefix, "temp")).FullName;
        Directory.CreateDirectory(Path.Combine(prefix, "logs"));

        var (exitCode, text) = Run(FindExecutable("openssl") ?? "openssl",
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost", "-keyout", Path.Combine(certs, "portal.key"), "-out", Path.Combine(certs, "portal.crt")],
            TimeSpan.FromSeconds(60));
        Assert.True(exitCode == 0, $"openssl could not make the throwaway certificate:\n{text}");

        // The wrapper as it is, plus temp paths inside the prefix (the only addition).
        var wrapper = File.ReadAllText(Path.Combine(source, "nginx.conf"));
        var tempPaths = string.Concat(new[] { "client_body", "proxy", "fastcgi", "uwsgi", "scgi" }.Select(kind => $"\n    {kind}_temp_path {temp}/{kind};"));
        Assert.Contains("\nhttp {", wrapper, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(conf, "nginx.conf"), wrapper.Replace("\nhttp {", "\nhttp {" + tempPaths, StringComparison.Ordinal));

        // portal.conf with host names, listen ports and certificate paths replaced; each must be found.
        var portal = File.ReadAllText(Path.Combine(source, "portal.conf"));
        var httpPort = FreePort();
        var httpsPort = FreePort();
        var replacements = new Dictionary<string, string>(upstreams)
        {
            ["listen 80;"] = $"listen 127.0.0.1:{httpPort};",
            ["listen 443 ssl;"] = $"listen 127.0.0.1:{httpsPort} ssl;",
            ["/etc/nginx/certs/"] = certs + "/",
        };
        foreach (var (from, to) in replacements)
        {
            Assert.True(portal.Contains(from, StringComparison.Ordinal), $"portal.conf no longer contains '{from}': update this test with the config.");
            portal = portal.Replace(from, to, StringComparison.Ordinal);
        }

        File.WriteAllText(Path.Combine(conf, "portal.conf"), portal);
        return (Path.Combine(conf, "nginx.conf"), httpPort, httpsPort);
    }

    private static async Task<(int Status, string HeadersSeen, string Tunnelled)> UpgradeAsync(int port, string path)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var stream = client.GetStream();
        stream.ReadTimeout = 10_000;
        var request = $"GET {path} HTTP/1.1\r\nHost: portal.test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nCookie: portal_affinity=ws\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        var head = await ReadHeadAsync(stream);
        var status = int.Parse(head.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headersSeen = head.Split("\r\n").FirstOrDefault(l => l.StartsWith("X-Seen:", StringComparison.Ordinal)) ?? "";

        // After 101 the connection is a tunnel: what the client sends comes back from the node.
        await stream.WriteAsync("tunnel-ok\n"u8.ToArray());
        var buffer = new byte[64];
        var received = new StringBuilder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!received.ToString().Contains('\n', StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            if (read == 0)
            {
                break;
            }

            received.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return (status, headersSeen, received.ToString().Trim());
    }

    private static async Task<string> ReadHeadAsync(Stream stream)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one, timeout.Token) == 0)
            {
                break;
            }

            head.Append((char)one[0]);
        }

        return head.ToString();
    }

    private static async Task WaitForPortAsync(int port, Process process, StringBuilder log)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                lock (log)
                {
                    Assert.Fail($"nginx exited ({process.ExitCode}):\n{log}");
                }
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        Assert.Fail($"nginx did not listen on {port} within 15 s.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindNginx() =>
        FindExecutable("nginx")
        ?? new[] { "/usr/sbin/nginx", "/usr/local/sbin/nginx" }.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("nginx is not installed (tests/run.sh installs it: apt-get install nginx).");

    private static string? FindExecutable(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/sbin").Append("/usr/bin")
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);

    private static string SystemUnitDirectory() =>
        new[] { "/usr/lib/systemd/system", "/lib/systemd/system" }.FirstOrDefault(Directory.Exists)
        ?? throw new InvalidOperationException("systemd-analyze is installed but no system unit directory was found.");

    private static (int ExitCode, string Output) Run(string fileName, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var standardOutput = process.StandardOutput.ReadToEndAsync();
        var standardError = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill();
            throw new TimeoutException($"{fileName} did not finish within {timeout}.");
        }

        return (process.ExitCode, (standardOutput.Result + standardError.Result).Trim());
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var entry in new DirectoryInfo(from).EnumerateFileSystemInfos())
        {
            var target = Path.Combine(to, entry.Name);
            if (entry.LinkTarget is not null)
            {
                File.CreateSymbolicLink(target, entry.LinkTarget);
            }
            else if (entry is DirectoryInfo)
            {
                CopyDirectory(entry.FullName, target);
            }
            else
            {
                File.Copy(entry.FullName, target);
            }
        }
    }

    private static double NginxSeconds(string value)
    {
        var match = Regex.Match(value, "^([0-9]+)(ms|s|m|h|d)?$");
        Assert.True(match.Success, $"Not an nginx time: {value}");
        var number = double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch
        {
            "ms" => number / 1000,
            "m" => number * 60,
            "h" => number * 3600,
            "d" => number * 86400,
            _ => number,
        };
    }

    /// <summary>An INI-style unit file: section → key → values (a key may repeat). Fails on anything else.</summary>
    private static Dictionary<string, Dictionary<string, List<string>>> ReadUnit(string path)
    {
        var sections = new Dictionary<string, Dictionary<string, List<string>>>(StringComparer.Ordinal);
        Dictionary<string, List<string>>? current = null;
        var number = 0;
        foreach (var raw in File.ReadAllLines(path))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith(';'))
            {
                continue;
            }

            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                current = new Dictionary<string, List<string>>(StringComparer.Ordinal);
                Assert.True(sections.TryAdd(line[1..^1], current), $"{path}:{number}: section {line} twice.");
                continue;
            }

            Assert.True(current is not null, $"{path}:{number}: a setting before any section.");
            Assert.False(line.EndsWith('\\'), $"{path}:{number}: continuation lines are not used in these units.");
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            Assert.True(equals > 0, $"{path}:{number}: not a Key=Value line: {line}");
            var key = line[..equals].Trim();
            Assert.Matches("^[A-Za-z][A-Za-z0-9]*$", key);
            if (!current!.TryGetValue(key, out var values))
            {
                current[key] = values = [];
            }

            values.Add(line[(equals + 1)..].Trim());
        }

        return sections;
    }

    private static List<(string Keyword, string Arguments)> ReadDockerfile(string path)
    {
        var instructions = new List<(string, string)>();
        var pending = new StringBuilder();
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (pending.Length == 0 && (line.Length == 0 || line.StartsWith('#')))
            {
                continue;
            }

            if (line.StartsWith('#'))
            {
                continue;   // a comment inside a continued instruction
            }

            if (line.EndsWith('\\'))
            {
                pending.Append(line[..^1].TrimEnd()).Append(' ');
                continue;
            }

            pending.Append(line);
            var text = pending.ToString();
            pending.Clear();
            var space = text.IndexOf(' ', StringComparison.Ordinal);
            Assert.True(space > 0, $"{path}: not an instruction: {text}");
            instructions.Add((text[..space].ToUpperInvariant(), text[(space + 1)..].Trim()));
        }

        Assert.True(pending.Length == 0, $"{path}: ends inside a continued line.");
        Assert.NotEmpty(instructions);
        return instructions;
    }

    /// <summary>The project and every project it references, transitively, as repository-relative paths.</summary>
    private static SortedSet<string> ProjectClosure(string project)
    {
        var result = new SortedSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>([project]);
        while (queue.TryDequeue(out var current))
        {
            if (!result.Add(current))
            {
                continue;
            }

            var directory = Path.GetDirectoryName(Path.Combine(Root, current))!;
            var xml = System.Xml.Linq.XDocument.Load(Path.Combine(Root, current));
            foreach (var reference in xml.Descendants("ProjectReference"))
            {
                var full = Path.GetFullPath(Path.Combine(directory, reference.Attribute("Include")!.Value.Replace('\\', '/')));
                queue.Enqueue(Path.GetRelativePath(Root, full).Replace('\\', '/'));
            }
        }

        return result;
    }

    private static YamlMappingNode LoadYaml(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return Assert.IsType<YamlMappingNode>(Assert.Single(stream.Documents).RootNode);
    }

    private static YamlMappingNode Mapping(YamlMappingNode parent, string key) =>
        Assert.IsType<YamlMappingNode>(parent.Children[new YamlScalarNode(key)]);

    private static YamlMappingNode? OptionalMapping(YamlMappingNode parent, string key) =>
        parent.Children.TryGetValue(new YamlScalarNode(key), out var node) ? (YamlMappingNode)node : null;

    private static string Scalar(YamlMappingNode parent, string key) =>
        Assert.IsType<YamlScalarNode>(parent.Children[new YamlScalarNode(key)]).Value ?? "";

    private static IEnumerable<string> DependsOn(YamlMappingNode service) =>
        service.Children.TryGetValue("depends_on", out var node)
            ? node switch
            {
                YamlSequenceNode list => list.Children.Select(c => c.ToString()),
                YamlMappingNode map => map.Children.Keys.Select(k => k.ToString()),
                _ => throw new InvalidOperationException("depends_on is neither a list nor a mapping."),
            }
            : [];

    private static List<string> SecretsOf(YamlMappingNode service) =>
        service.Children.TryGetValue("secrets", out var node)
            ? ((YamlSequenceNode)node).Children.Select(c => c is YamlMappingNode m ? Scalar(m, "source") : c.ToString()).ToList()
            : [];

    private static List<(string Source, string Target)> Mounts(YamlMappingNode service) =>
        service.Children.TryGetValue("volumes", out var node)
            ? ((YamlSequenceNode)node).Children.Select(c =>
            {
                if (c is YamlMappingNode m)
                {
                    return (Scalar(m, "source"), Scalar(m, "target"));
                }

                var parts = c.ToString().Split(':');
                return parts.Length >= 2 ? (parts[0], parts[1]) : ("", parts[0]);   // an anonymous volume has no source
            }).Where(m => m.Item1.Length > 0).ToList()
            : [];

    private static Dictionary<string, string> EnvironmentOf(YamlMappingNode service)
    {
        if (!service.Children.TryGetValue("environment", out var node))
        {
            return [];
        }

        return node switch
        {
            YamlMappingNode map => map.Children.ToDictionary(p => p.Key.ToString(), p => p.Value.ToString()),
            YamlSequenceNode list => list.Children.Select(c => c.ToString().Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : ""),
            _ => throw new InvalidOperationException("environment is neither a mapping nor a list."),
        };
    }

    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ProviderPortal.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No ProviderPortal.sln above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex UnitVariable();

    [GeneratedRegex(@"src/[A-Za-z0-9_.]+/[A-Za-z0-9_.]+\.csproj")]
    private static partial Regex ProjectPath();

    private sealed class TempDirectory : IDisposable
    {
        public TempDirectory(string purpose)
        {
            Path = Directory.CreateTempSubdirectory($"providerportal-{purpose}-").FullName;
        }

        public string Path { get; }

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>
    /// A stand-in portal node: answers each request with its name and the headers nginx forwarded
    /// ("node-1|upgrade=...;connection=...;proto=...;xff=...;"); an upgrade request gets 101 and then echoes
    /// one line back through the tunnel.
    /// </summary>
    private sealed class FakeNode : IAsyncDisposable
    {
        private readonly TcpListener _listener;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        private FakeNode(string name)
        {
            Name = name;
            _listener = new TcpListener(IPAddress.Loopback, 0);
            _listener.Start();
            _loop = AcceptLoopAsync();
        }

        public string Name { get; }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public static FakeNode Start(string name) => new(name);

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            try
            {
                await _loop;
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }

            _stop.Dispose();
        }

        private async Task AcceptLoopAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = Task.Run(() => ServeAsync(client));
            }
        }

        private async Task ServeAsync(TcpClient client)
        {
            using (client)
            {
                try
                {
                    var stream = client.GetStream();
                    while (true)
                    {
                        var head = await ReadHeadAsync(stream);
                        if (head.Length == 0)
                        {
                            return;
                        }

                        var headers = head.Split("\r\n").Skip(1).Where(l => l.Contains(':', StringComparison.Ordinal))
                            .GroupBy(l => l[..l.IndexOf(':', StringComparison.Ordinal)].Trim().ToLowerInvariant())
                            .ToDictionary(g => g.Key, g => g.First()[(g.First().IndexOf(':', StringComparison.Ordinal) + 1)..].Trim());
                        var seen = $"upgrade={headers.GetValueOrDefault("upgrade")};connection={headers.GetValueOrDefault("connection")};proto={headers.GetValueOrDefault("x-forwarded-proto")};xff={headers.GetValueOrDefault("x-forwarded-for")};";
                        if (headers.GetValueOrDefault("upgrade") == "websocket")
                        {
                            await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nX-Seen: {Name}|{seen}\r\n\r\n"));
                            var line = new StringBuilder();
                            var one = new byte[1];
                            while (await stream.ReadAsync(one) == 1)
                            {
                                line.Append((char)one[0]);
                                if (one[0] == '\n')
                                {
                                    break;
                                }
                            }

                            await stream.WriteAsync(Encoding.ASCII.GetBytes(line.ToString()));
                            return;
                        }

                        var body = Encoding.ASCII.GetBytes($"{Name}|{seen}");
                        await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\n\r\n"));
                        await stream.WriteAsync(body);
                    }
                }
                catch (IOException)
                {
                }
            }
        }
    }
}
