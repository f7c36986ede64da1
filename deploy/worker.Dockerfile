# syntax=docker/dockerfile:1
# The tenant-scoped worker, published as a native (NativeAOT) executable: no .NET runtime in the
# image and no JIT at start. Built from the repository root:
#   docker build -f deploy/worker.Dockerfile -t providerportal/worker .

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# NativeAOT links with clang (or gcc: then add -p:CppCompilerAndLinker=gcc) and needs zlib's headers.
RUN apt-get update \
 && apt-get install -y --no-install-recommends clang zlib1g-dev \
 && rm -rf /var/lib/apt/lists/*
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
WORKDIR /src

COPY Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/ProviderPortal.Domain/ProviderPortal.Domain.csproj src/ProviderPortal.Domain/
COPY src/ProviderPortal.Replication/ProviderPortal.Replication.csproj src/ProviderPortal.Replication/
COPY src/ProviderPortal.Connectors/ProviderPortal.Connectors.csproj src/ProviderPortal.Connectors/
COPY src/ProviderPortal.Worker/ProviderPortal.Worker.csproj src/ProviderPortal.Worker/
RUN dotnet restore src/ProviderPortal.Worker/ProviderPortal.Worker.csproj -r linux-x64 -p:PublishAot=true

COPY src/ src/
# The command of deploy/README.md ("The worker"), with clang as the linker.
RUN dotnet publish src/ProviderPortal.Worker/ProviderPortal.Worker.csproj -c Release -r linux-x64 \
      -p:PublishAot=true --no-restore -o /out \
 && rm -f /out/*.dbg

# runtime-deps: only what a native .NET executable needs from the OS (libc, OpenSSL, CA certificates).
FROM mcr.microsoft.com/dotnet/runtime-deps:10.0 AS runtime
COPY --from=build /out/providerportal-worker /usr/local/bin/providerportal-worker

# The tenant's destination root (--data-root), created here and owned by the non-root user `app` so a
# new named volume mounted on it starts with that owner.
RUN mkdir -p /var/lib/providerportal/destination \
 && chown "$APP_UID" /var/lib/providerportal/destination
USER $APP_UID
WORKDIR /var/lib/providerportal

# Default: the engine's help. compose.yaml runs `connect --portal ... --token-file ...`.
ENTRYPOINT ["/usr/local/bin/providerportal-worker"]
CMD ["--help"]
