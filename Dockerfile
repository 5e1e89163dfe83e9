# qtq container image: one binary serving every role (`qtq serve`, `qtq work`, `qtq migrate`).
# Not built on the development machines (no Docker engine there); docker-compose.yml uses it.

# ---- build ------------------------------------------------------------------------------
ARG SWIFT_VERSION=6.3
FROM swift:${SWIFT_VERSION}-bookworm AS build
WORKDIR /build

# Resolve dependencies in their own layer, reused while Package.swift is unchanged.
COPY Package.* ./
RUN swift package resolve

COPY Sources ./Sources
COPY Tests ./Tests
# The engine's CPU baseline: an image runs wherever it is pulled, so not `native` (the build host's CPU) but
# x86-64-v3 (AVX2 + FMA, 2013 on), unless overridden: --build-arg QTQ_TARGET_CPU=native for a host-tuned image,
# generic on arm64. Workers refuse to start, in one line, on a CPU without what the image needs.
ARG QTQ_TARGET_CPU=x86-64-v3
ENV QTQ_TARGET_CPU=${QTQ_TARGET_CPU}
# A static Swift runtime lets the runtime image be plain Debian without the toolchain.
RUN swift build -c release --static-swift-stdlib --product qtq

WORKDIR /staging
RUN cp "$(swift build --package-path /build -c release --show-bin-path)/qtq" ./ \
    && cp /usr/libexec/swift/linux/swift-backtrace-static ./

# ---- docs assets: the Swagger UI and ReDoc bundles /docs and /redoc serve (pinned PyPI wheel, licences kept) ----
FROM python:3.11-slim-bookworm AS docs-assets
COPY scripts/fetch-docs-assets /fetch-docs-assets
RUN /fetch-docs-assets /docs-assets

# ---- runtime ----------------------------------------------------------------------------
FROM debian:bookworm-slim
RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get -q update \
    && apt-get -q install -y --no-install-recommends ca-certificates tzdata libstdc++6 \
    && rm -rf /var/lib/apt/lists/*

# Never run as root inside the container (uid 10001, which deploy/k8s also names).
RUN useradd --system --uid 10001 --user-group --no-create-home --home-dir /app --shell /usr/sbin/nologin qtq
WORKDIR /app
COPY --from=build /staging/ /app/
COPY sql /app/sql
COPY --from=docs-assets /docs-assets /app/docs-assets

ENV QTQ_MIGRATIONS_DIR=/app/sql \
    QTQ_DOCS_ASSETS_DIR=/app/docs-assets \
    QTQ_HOST=0.0.0.0 \
    QTQ_PORT=8001 \
    QTQ_LOG_LEVEL=info \
    SWIFT_BACKTRACE=enable=yes,sanitize=yes,threads=all,images=all,interactive=no,swift-backtrace=/app/swift-backtrace-static

USER qtq:qtq
EXPOSE 8001
ENTRYPOINT ["/app/qtq"]
CMD ["serve"]
