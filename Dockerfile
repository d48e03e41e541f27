# syntax=docker/dockerfile:1
#
# Gatehouse container image: one static binary on distroless (no shell, no
# package manager), running as an unprivileged user, with a read-only root
# filesystem. docs/operations.md ("Container image") shows how to run it.
#
#   docker build -t gatehouse --build-arg VERSION=v1.2.3 .
#   docker run --read-only --tmpfs /tmp -v gatehouse-data:/data -p 8080:8080 \
#     -e GATEHOUSE_SECRET_KEY=... gatehouse
#
# No HEALTHCHECK: the orchestrator probes /healthz (alive) and /readyz
# (database reachable, schema current).

ARG GO_VERSION=1.26.8

FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-bookworm AS build
WORKDIR /src
# Modules first, so source edits do not download them again.
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
ARG TARGETOS=linux
ARG TARGETARCH=amd64
ARG VERSION=dev
# CGO_ENABLED=0: the SQLite driver (modernc.org/sqlite) is pure Go, so the
# binary is static and runs on distroless/static.
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -buildvcs=false \
      -ldflags "-s -w -X github.com/gatehouse-iam/gatehouse/internal/cli.Version=${VERSION}" \
      -o /out/gatehouse ./cmd/gatehouse \
 && mkdir -p /out/data

# distroless/static: CA certificates, /etc/passwd with nonroot (65532),
# tzdata; nothing else.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/gatehouse /gatehouse
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
# Listen on every interface inside the container; SQLite by default in the
# data volume (PostgreSQL: set GATEHOUSE_DATABASE=postgres://...).
ENV GATEHOUSE_ADDR=0.0.0.0:8080 \
    GATEHOUSE_DATA_DIR=/data \
    GATEHOUSE_DATABASE=sqlite:/data/gatehouse.db \
    GATEHOUSE_LOG_FORMAT=json
VOLUME ["/data"]
EXPOSE 8080
ENTRYPOINT ["/gatehouse"]
CMD ["serve"]
