# Silo image. Build from the repository root: docker build -f deploy/docker/Silo.Dockerfile -t orleans-agent-silo .
# ReadyToRun for the image's architecture (compiled on the build machine's): a silo is ready sooner after a deploy
# (docs/benchmarks.md, item 30).
FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG TARGETARCH
WORKDIR /src
COPY . .
RUN dotnet publish src/Silo/Silo.csproj -c Release -a $TARGETARCH -o /app --no-self-contained -p:PublishReadyToRun=true

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app .
# The .NET images ship an unprivileged "app" user (uid 1654).
USER $APP_UID
EXPOSE 11111 30000
ENTRYPOINT ["dotnet", "Orleans.Agent.Silo.dll"]
