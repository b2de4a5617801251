# Hearsay as a server: the same trimmed linux binary the desktop apps ship, with its portable phonemizer (espeak-ng
# for WebAssembly, ADR 0010) and ffmpeg from Debian as a separate program, models on a volume, running as a non-root
# user. deploy/README.md says how to build and run it.
#   docker build -t hearsay .
#   docker run -p 8080:8080 -e HEARSAY_TOKEN=... -v hearsay-models:/models hearsay

# Build: eng/publish.sh is what CI and the desktop bundles use, so the image runs exactly that binary.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN eng/publish.sh linux-x64 /out

# Run: Debian, as on our build machines; the binary is self-contained, so no .NET runtime is installed.
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ffmpeg curl ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /nonexistent --shell /usr/sbin/nologin hearsay \
    && mkdir /models \
    && chown hearsay /models
COPY --from=build /out/ /opt/hearsay/
ENV HEARSAY_MODELS_DIR=/models
VOLUME /models
USER hearsay
EXPOSE 8080
# Healthy means every enabled capability has its model loaded (models load in seconds; four misses in a row allow a
# minute), so a container whose models are missing reports unhealthy rather than answering 503s.
HEALTHCHECK --interval=15s --timeout=3s --retries=4 CMD ["curl", "-fsS", "http://127.0.0.1:8080/health/ready"]
# Reached through a network name, so any Host is accepted; HEARSAY_TOKEN guards /v1. Standard input is not a host
# app's pipe here, so it is not watched.
ENTRYPOINT ["/opt/hearsay/hearsay"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8080", "--allowed-host", "*", "--no-stdin-watch"]
