"""One typed settings class, read from the environment (``ALBUMEN_`` prefix) and ``.env``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from albumen.pipeline import ENRICHMENTS

MiB = 1024 * 1024


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="ALBUMEN_", env_file=".env", env_nested_delimiter="__", extra="ignore"
    )

    env: Literal["dev", "prod"] = "dev"
    data_dir: Path = Path("./albumen-data")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default: SQLite in the data dir"
    )
    storage_url: str | None = Field(
        default=None, description="file:///path or s3://bucket/prefix; default: data dir"
    )
    queue_url: str | None = Field(
        default=None, description="sqlite:///path or redis://host:port/db; default: SQLite in "
        "the data dir")
    queue_prefix: str = Field(default="albumen",
                              description="names the queues (PREFIX.media, PREFIX.ml), so "
                                          "installations can share a Redis")
    pgvector: Literal["auto", "off"] = Field(
        default="auto", description="PostgreSQL: rank embeddings with pgvector when the server "
                                    "has it (off: the embedded index)")
    queue_immediate: bool = Field(
        default=False, description="run jobs inline when queued (tests, debugging)"
    )

    # S3-compatible storage (storage_url s3://bucket/prefix): AWS, MinIO, Ceph, R2...
    s3_endpoint_url: str | None = Field(
        default=None, description="e.g. http://127.0.0.1:9000 for MinIO; default: AWS")
    s3_region: str | None = Field(default=None, description="default: boto3's (AWS_REGION…)")
    s3_access_key_id: str | None = Field(
        default=None, description="default: boto3's credential chain (env, profile, role)")
    s3_secret_access_key: SecretStr | None = None
    s3_addressing_style: Literal["auto", "path", "virtual"] = Field(
        default="auto", description="auto: virtual-hosted on AWS, path with an endpoint URL")
    s3_part_size: int = Field(default=16 * MiB, ge=5 * MiB,
                              description="multipart upload above this size, in such parts")
    s3_presign_downloads: bool = Field(
        default=False, description="originals: redirect (307) to a pre-signed URL instead of "
                                   "streaming them through albumen")
    s3_presign_seconds: int = Field(default=300, ge=1, le=7 * 86400,
                                    description="how long a pre-signed URL is valid")

    host: str = "127.0.0.1"
    port: int = 8000
    api_processes: int = Field(default=1, ge=1, description="processes `albumen serve` runs "
                               "the API in (one of them runs the in-process workers, if any)")
    upload_threads: int = Field(
        default=2, ge=1, le=256, description="uploads each API process receives at once; more "
        "wait their turn unread, so the threads other requests run on stay free (each one "
        "takes the interpreter lock from reads: bench/upload_load.py)")
    log_level: str = "INFO"
    log_json: bool = False
    secret_key: SecretStr | None = Field(
        default=None, description="seals what albumen shows again (share-link addresses); "
        "default: <data dir>/secret.key, made at first start; set the same on every machine")
    metrics_token: SecretStr | None = Field(
        default=None, description="bearer token for /metrics and `albumen worker "
                                  "--metrics-port`; unset: loopback callers only")

    # Ingest limits
    max_upload_bytes: int = Field(default=1024 * MiB, description="largest photo or "
                                  "document stored (bytes)")
    max_video_bytes: int = Field(default=16 * 1024 * MiB, description="largest video stored "
                                 "(bytes; streamed to disk, memory stays flat)")
    resumable_upload_hours: float = Field(
        default=24, gt=0, description="an unfinished resumable upload is removed after this")
    video_max_seconds: float = Field(default=4 * 3600, gt=0,
                                     description="a longer video is refused at upload")
    video_max_dimension: int = Field(default=8192, ge=16,
                                     description="a video wider or taller is refused")
    video_max_fps: float = Field(default=480, gt=0,
                                 description="a video claiming more frames a second is refused")
    video_ocr: bool = Field(default=False, description="read text in videos' sampled frames "
                            "(the ocr enrichment; off: only photos)")
    video_sample_seconds: float = Field(
        default=4.0, gt=0, description="faces and screening look at a frame this often")
    video_sample_frames: int = Field(default=12, ge=1, le=200,
                                     description="at most this many frames a video")
    video_strip_frames: int = Field(default=10, ge=2, le=60,
                                    description="frames in a video's hover/scrub strip")
    transcode: Literal["off", "needed", "all"] = Field(
        default="needed", description="web copies of videos: needed = of those browsers "
        "cannot play (HEVC, AVI, MTS…), all = of every video, off = none")
    transcode_codec: Literal["h264", "av1"] = "h264"
    transcode_max_height: int = Field(default=1080, ge=144, le=4320,
                                      description="short side of a web copy at most")
    transcode_max_seconds: float = Field(
        default=3 * 3600, gt=0, description="longer videos get no web copy")
    transcode_preset: str = Field(
        default="superfast", description="x264 preset of web copies (ultrafast … veryslow; "
        "superfast transcodes 1080p faster than real time on 2 cores: bench/video.py)")
    transcode_crf: int = Field(default=23, ge=0, le=63,
                               description="constant quality of web copies (lower: better)")
    transcode_segment_seconds: float = Field(
        default=30, ge=1, le=3600, description="a web copy is made in pieces of this much of "
        "the clip; a worker stopped half-way goes on from the last piece it finished")
    max_image_pixels: int = 250_000_000
    max_document_pages: int = Field(default=5000, ge=1,
                                    description="a PDF with more pages is refused at upload")
    document_page_size: int = Field(
        default=1600, ge=500, le=8000,
        description="long side in pixels a scanned page is read (OCR) at")
    decode_memory_mb: int = Field(
        default=1024, ge=16, description="memory image decodes may take at once, per process "
        "(MB); more wait their turn, one that can never fit is refused")

    # Workers and jobs
    in_process_workers: bool = True
    workers: int = Field(default=2, ge=1, description="concurrent jobs per queue")
    worker_queues: str = Field(default="media,ml,video",
                               description="queues the in-process workers take jobs from")
    worker_type: Literal["thread", "process"] = "thread"
    worker_nice: int = Field(
        default=10, ge=0, le=19, description="how much lower job threads are scheduled than "
        "requests (Linux niceness; 0: the same): processing yields the CPU to the API")
    import_threads: int = Field(default=2, ge=1, le=64,
                                description="files `albumen import` stores at once")
    job_lease_seconds: float = 300.0
    job_max_attempts: int = 3
    reconcile_interval_seconds: float = 60.0
    worker_heartbeat_seconds: float = 10.0
    maintenance_interval_seconds: float = Field(
        default=3600.0, description="how often workers run the maintenance tasks")
    maintenance_tasks: str = Field(
        default="trash,rejected,links,retries,activity,backup,leftovers,renditions",
        description="comma-separated: trash, rejected, links, retries, activity, backup, "
                    "leftovers, renditions, orphans (empty: none). orphans is not on by default: "
                    "after a database restored from an older backup, newer photos' files "
                    "look orphaned")
    backup_interval_hours: float = Field(
        default=24.0, ge=0, description="workers back the database up under <data dir>/backups "
                                        "this often (0: never)")
    backup_keep: int = Field(default=7, ge=1, description="scheduled backups kept")
    trash_days: int = Field(default=30, ge=0,
                            description="trashed photos are deleted for good after this "
                                        "(0: kept until emptied by hand)")
    orphan_grace_hours: float = Field(
        default=24.0, ge=1, description="stored files nothing refers to are removed once "
                                        "older than this (younger: maybe an upload underway)")
    retry_failed_minutes: float = Field(
        default=60.0, gt=0, description="failures that may pass are retried after this, "
                                        "then 4x, 16x... as long")
    retry_failed_limit: int = Field(default=4, ge=0,
                                    description="rounds of automatic retries (0: none)")

    # Accounts and sharing
    access_token_minutes: int = 60
    session_days: int = Field(default=30, description="refresh tokens and web sessions")
    password_hash: Literal["rfc9106", "cheapest"] = Field(
        default="rfc9106",
        description="argon2id cost of new password hashes: rfc9106 (RFC 9106's second "
                    "recommendation: 64 MiB, 3 passes) or cheapest (test suites only: "
                    "fast and weak); a stored hash keeps the cost it was made with")
    cookie_secure: Literal["auto", "always", "never"] = Field(
        default="auto", description="Secure flag on cookies: auto = when the request is HTTPS"
    )
    public_url: str | None = Field(
        default=None, description="base URL used in share links and QR codes"
    )
    guest_delete_minutes: int = Field(
        default=60, description="how long guests may delete their own uploads"
    )
    rejected_retention_days: int = Field(
        default=30, description="rejected guest uploads lose their original after this"
    )
    # Rate limits ("N/second|minute|hour|day"), counted in the database, or in Redis when the
    # queue is Redis, so all processes of an installation share them (security/ratelimit.py)
    login_rate: str = Field(default="10/minute", description="failed logins per account")
    login_address_rate: str = Field(default="20/minute",
                                    description="failed logins per address, all accounts")
    guest_upload_rate: str = Field(default="60/minute", description="uploads per guest")
    guest_address_upload_rate: str = Field(
        default="240/minute", description="guest uploads per address on one link")
    link_upload_rate: str = Field(default="1200/minute",
                                  description="guest uploads per link, all addresses")
    guest_create_rate: str = Field(default="30/minute",
                                   description="new guests per address (all links)")
    share_password_rate: str = Field(
        default="10/minute", description="wrong share-link passwords per link and address")
    share_password_link_rate: str = Field(
        default="100/hour", description="wrong share-link passwords per link, all addresses")
    api_key_rate: str = Field(default="600/minute",
                              description="requests per API key, in each process")

    # Image service (albumen/images): signed on-demand transforms
    image_max_dimension: int = Field(default=4096, ge=16, le=16384,
                                     description="widest or tallest output, pixels")
    image_max_pixels: int = Field(default=16_000_000, ge=256,
                                  description="largest output, width x height")
    image_formats: str = Field(default="jpeg,webp,avif,png",
                               description="comma-separated output formats allowed")
    image_quality_default: int = Field(default=82, ge=1, le=100)
    image_cache_mb: int = Field(default=2048, ge=0, description="renditions kept on the "
                                "storage before the least recently used go (maintenance)")

    # Outgoing webhooks (albumen/webhooks)
    webhook_allow_networks: str = Field(
        default="", description="comma-separated addresses or networks (CIDR) webhooks may "
                                "target although they are loopback, private or link-local, "
                                "e.g. 10.0.0.0/8 for an app on your own network")
    webhook_deny_networks: str = Field(
        default="", description="comma-separated addresses or networks webhooks may never "
                                "target (on top of loopback, private and link-local)")
    webhook_timeout_seconds: float = Field(default=10.0, gt=0, le=60,
                                           description="time a target has to answer")
    webhook_concurrency: int = Field(default=8, ge=1, le=64,
                                     description="deliveries a worker sends at once")

    # Enrichments (AI stages), in the order they run after the core stages
    enrichments: str = Field(
        default="screening,bursts,places,faces,ocr,pages,document,dates,semantic",
        description="comma-separated: screening, bursts, places, faces, ocr, pages, document, "
                    "dates, clip, captions, semantic (empty: none); pages and document are for "
                    "documents only")
    caption_url: str | None = Field(
        default=None, description="OpenAI-compatible base URL, e.g. http://127.0.0.1:11434/v1")
    caption_model: str | None = Field(default=None, description="e.g. llava or qwen2.5vl")
    caption_api_key: str | None = None
    caption_timeout_seconds: float = 60.0
    document_summaries: Literal["extractive", "model"] = Field(
        default="extractive",
        description="extractive: a document's most central sentences (on the machine); model: "
                    "written by the captions' OpenAI-compatible endpoint (ALBUMEN_CAPTION_URL; "
                    "the document's text is sent to it), the extractive one when it fails")
    clip_tag_threshold: float = Field(default=0.1, description="zero-shot tag probability")
    holiday_country: str | None = Field(
        default=None, description="ISO country for holidays when a photo has no place")
    ml_providers: str = Field(default="CPUExecutionProvider",
                              description="ONNX Runtime execution providers, in preference order")
    model_idle_seconds: float = Field(default=600.0, description="unload a model after this")
    ml_batch_size: int = Field(default=8, ge=1, le=64,
                               description="photos per model call in the AI stages")
    ml_threads: int = Field(default=0, ge=0, le=256,
                            description="cores each ONNX model call runs on (0: this machine's "
                                        "cores shared among the workers)")
    ocr_gate_size: int = Field(default=480, ge=0, le=4096,
                               description="long side of the quick look for text before a photo "
                                           "is read in full (0: read every photo in full)")
    face_detector: Literal["hog", "cnn"] = "hog"
    face_detect_size: int = Field(default=1600, description="long side for face detection")
    face_detect_gray: bool = Field(
        default=False, description="HOG face detection on the grey image: a quarter faster, "
                                   "misses a few of the smallest faces (bench/enrich.py)")
    face_upsample: int = Field(default=0, ge=0, le=2, description="detector upsampling passes")
    face_cluster_distance: float = Field(default=0.5, description="same person below this")
    face_min_faces: int = Field(default=3, ge=1, description="faces needed to make a person")
    face_recluster_interval_seconds: float = Field(
        default=86400.0, description="how often workers re-cluster every library's faces")
    discovery_interval_seconds: float = Field(
        default=86400.0, description="how often workers queue the discovery job (the "
                                     "recommender trained again); 0: never")
    selfie_match_distance: float = Field(default=0.55, description="selfie search threshold")
    screening_nudity_threshold: float = Field(
        default=0.5, description="guest uploads scoring this or more wait for a moderator")
    burst_seconds: float = Field(default=3.0, description="burst: photos this close in time")
    burst_distance: int = Field(default=14, description="burst: phash distance of alike photos")
    screening_blur_threshold: float = Field(default=60.0, description="sharpness below: blurry")
    screening_duplicate_distance: int = Field(
        default=4, description="phash distance for near-duplicate guest uploads in an event")

    # Derivatives
    map_tile_url: str | None = Field(
        default=None, description="map tiles for the places page, e.g. "
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png (empty: points on a plain map)")
    map_tile_attribution: str = Field(default="© OpenStreetMap contributors",
                                      description="credit shown on the map with the tiles")
    tracking: bool = Field(default=True, description="record views, downloads, searches... "
                           "for analytics (false: record nothing)")
    tracking_flush_seconds: float = Field(default=2.0, gt=0,
                                          description="how often the activity log is written")
    activity_retention_days: int = Field(default=400, ge=0,
                                         description="activity older than this is deleted "
                                                     "(0: kept for ever)")
    thumbnail_size: int = 250
    thumbnail_quality: int = 80
    preview_size: int = 1440
    preview_quality: int = 85
    near_duplicate_distance: int = 8

    @field_validator("data_dir")
    @classmethod
    def _absolute(cls, value: Path) -> Path:
        return value.expanduser().resolve()

    @property
    def enabled_enrichments(self) -> tuple[str, ...]:
        wanted = [e.strip() for e in self.enrichments.split(",") if e.strip()]
        unknown = sorted(set(wanted) - set(ENRICHMENTS))
        if unknown:
            raise ValueError(f"unknown enrichment(s) {unknown}; known: {', '.join(ENRICHMENTS)}")
        return tuple(e for e in ENRICHMENTS if e in wanted)

    @property
    def map_tile_origin(self) -> str:
        """scheme://host of the tile server, for the pages' Content-Security-Policy."""
        if not self.map_tile_url:
            return ""
        from urllib.parse import urlsplit

        parts = urlsplit(self.map_tile_url.replace("{s}", "a"))
        host = parts.netloc.replace("a.", "*.", 1) if "{s}" in self.map_tile_url else parts.netloc
        return f"{parts.scheme}://{host}"

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'albumen.db'}"

    @property
    def effective_storage_url(self) -> str:
        return self.storage_url or f"file://{self.data_dir / 'storage'}"

    @property
    def effective_queue_url(self) -> str:
        return self.queue_url or f"sqlite:///{self.data_dir / 'queue.db'}"


@lru_cache
def get_settings() -> Settings:
    return Settings()
