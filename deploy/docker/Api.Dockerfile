# API image. Build from the repository root: docker build -f deploy/docker/Api.Dockerfile -t orleans-agent-api .
# The web console is built in a Node stage (the SDK image's Debian nodejs is too old for Vite) and handed to the
# .NET stage, which then skips its own console build.
FROM node:22-bookworm-slim AS web
WORKDIR /src
COPY clients/web clients/web
RUN cd clients/web && npm ci --no-audit --no-fund && npm run build

# ReadyToRun for the image's architecture (compiled on the build machine's): a node is ready sooner after a deploy
# (docs/benchmarks.md, item 30).
FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG TARGETARCH
WORKDIR /src
COPY . .
COPY --from=web /src/src/Api/wwwroot src/Api/wwwroot
RUN dotnet publish src/Api/Api.csproj -c Release -a $TARGETARCH -o /app --no-self-contained -p:PublishReadyToRun=true -p:BuildWebConsole=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app .
USER $APP_UID
ENV ASPNETCORE_URLS=http://+:8080
EXPOSE 8080
ENTRYPOINT ["dotnet", "Orleans.Agent.Api.dll"]
