# syntax=docker/dockerfile:1
# The portal (Blazor Server), built from the repository root:
#   docker build -f deploy/portal.Dockerfile -t providerportal/portal .

# Node.js for the build: Charts.targets runs `npm ci` to restore ApexCharts (Node.js 20+ needed; the
# SDK image's distribution ships an older one). Its binaries are copied into the SDK stage below.
FROM node:22-bookworm-slim AS node

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=node /usr/local/lib/node_modules /usr/local/lib/node_modules
RUN ln -s /usr/local/lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && node --version && npm --version
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
WORKDIR /src

# Restore first, from the project files alone, so a code change does not download packages again.
COPY Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/ProviderPortal.Domain/ProviderPortal.Domain.csproj src/ProviderPortal.Domain/
COPY src/ProviderPortal.Data/ProviderPortal.Data.csproj src/ProviderPortal.Data/
COPY src/ProviderPortal.Data.Sqlite/ProviderPortal.Data.Sqlite.csproj src/ProviderPortal.Data.Sqlite/
COPY src/ProviderPortal.Data.SqlServer/ProviderPortal.Data.SqlServer.csproj src/ProviderPortal.Data.SqlServer/
COPY src/ProviderPortal.Replication/ProviderPortal.Replication.csproj src/ProviderPortal.Replication/
COPY src/ProviderPortal.Connectors/ProviderPortal.Connectors.csproj src/ProviderPortal.Connectors/
# The portal references the worker: its executable is copied beside the portal for local workers.
COPY src/ProviderPortal.Worker/ProviderPortal.Worker.csproj src/ProviderPortal.Worker/
COPY src/ProviderPortal.Web/ProviderPortal.Web.csproj src/ProviderPortal.Web/
RUN dotnet restore src/ProviderPortal.Web/ProviderPortal.Web.csproj

# The sources, the one appsettings.json (published beside the binaries) and db/ (the SQLite Quartz
# script is embedded in the build).
COPY appsettings.json ./
COPY db/ db/
COPY src/ src/
RUN dotnet publish src/ProviderPortal.Web/ProviderPortal.Web.csproj -c Release --no-restore -o /out

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /out ./
COPY deploy/docker/portal-entrypoint.sh /usr/local/bin/portal-entrypoint.sh

# /data holds the Data Protection keys (/data/keys, a volume shared by all nodes), the mail pickup
# folder and lab disks. Created here, owned by the image's non-root user `app`, so that a new named
# volume mounted there starts with the same owner.
RUN chmod 0755 /usr/local/bin/portal-entrypoint.sh \
 && mkdir -p /data/keys \
 && chown -R "$APP_UID" /data
ENV Portal__DataDirectory=/data \
    ASPNETCORE_HTTP_PORTS=8080 \
    ASPNETCORE_FORWARDEDHEADERS_ENABLED=true
USER $APP_UID
EXPOSE 8080

# The image has no curl: bash asks /health itself (200 when the database and the scheduler are healthy).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /health HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]

ENTRYPOINT ["/usr/local/bin/portal-entrypoint.sh"]
CMD ["dotnet", "/app/ProviderPortal.Web.dll"]
