"""Service settings: one pydantic-settings class, read from environment variables."""

from __future__ import annotations

import secrets
from enum import StrEnum
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

MIN_SECRET_LENGTH = 32


class Profile(StrEnum):
    """Where the system runs: the embedded broker and SQLite, or Apache Kafka and PostgreSQL."""

    EMBEDDED = "embedded"
    REAL = "real"


class ServiceSettings(BaseSettings):
    """Everything a service reads from its environment; unset values get the embedded default."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore", populate_by_name=True)

    service: str = Field("service", validation_alias="ENCLAVE_SERVICE")
    profile: Profile = Field(Profile.EMBEDDED, validation_alias="ENCLAVE_PROFILE")
    data_dir: Path = Field(Path("var"), validation_alias="ENCLAVE_DATA_DIR")
    database_url: str = Field("", validation_alias="DATABASE_URL")
    kafka_bootstrap_servers: str = Field(
        "127.0.0.1:9092", validation_alias="KAFKA_BOOTSTRAP_SERVERS"
    )
    topic_prefix: str = Field("enclave", validation_alias="ENCLAVE_TOPIC_PREFIX")
    topic_partitions: int = Field(3, ge=1, validation_alias="ENCLAVE_TOPIC_PARTITIONS")
    kafka_idempotence: bool | None = Field(None, validation_alias="KAFKA_IDEMPOTENCE")
    kafka_session_timeout_ms: int | None = Field(
        None, ge=1000, validation_alias="KAFKA_SESSION_TIMEOUT_MS"
    )
    kafka_fetch_max_wait_ms: int | None = Field(
        None, ge=0, validation_alias="KAFKA_FETCH_MAX_WAIT_MS"
    )
    group_name: str = Field("", validation_alias="ENCLAVE_CONSUMER_GROUP")
    jwt_secret: str = Field("", validation_alias="ENCLAVE_JWT_SECRET")
    token_ttl_s: int = Field(8 * 3600, ge=60, validation_alias="ENCLAVE_TOKEN_TTL_S")
    outbox_poll_s: float = Field(1.0, gt=0, validation_alias="ENCLAVE_OUTBOX_POLL_S")
    sqlite_busy_timeout_ms: int = Field(
        5000, ge=0, validation_alias="ENCLAVE_SQLITE_BUSY_TIMEOUT_MS"
    )
    retry_backoff_max_s: float = Field(5.0, gt=0, validation_alias="ENCLAVE_RETRY_BACKOFF_MAX_S")
    log_level: str = Field("INFO", validation_alias="LOG_LEVEL")

    @model_validator(mode="after")
    def _fill_defaults(self) -> ServiceSettings:
        if not self.database_url:
            if self.profile is Profile.REAL:
                raise ValueError("DATABASE_URL is required in the real profile")
            self.database_url = f"sqlite+aiosqlite:///{self.data_dir / (self.service + '.db')}"
        if self.kafka_idempotence is None:
            # The embedded Tansu broker refuses InitProducerId, so idempotence is off there.
            self.kafka_idempotence = self.profile is Profile.REAL
        if self.kafka_session_timeout_ms is None:
            # Tansu holds a group's first join for half the session timeout: keep it short
            # there. Apache Kafka refuses sessions under group.min.session.timeout.ms (6 s).
            self.kafka_session_timeout_ms = 3000 if self.profile is Profile.EMBEDDED else 10000
        if self.kafka_fetch_max_wait_ms is None:
            # Tansu answers a waiting fetch only when its wait ends, not when data arrives.
            self.kafka_fetch_max_wait_ms = 5 if self.profile is Profile.EMBEDDED else 100
        if self.profile is Profile.REAL and len(self.jwt_secret) < MIN_SECRET_LENGTH:
            raise ValueError(
                f"ENCLAVE_JWT_SECRET must be set to at least {MIN_SECRET_LENGTH} characters "
                "in the real profile"
            )
        return self

    @property
    def topic(self) -> str:
        """The topic this service publishes its events to."""
        return topic_for(self.topic_prefix, self.service)

    @property
    def dead_letter_topic(self) -> str:
        """Where this service's consumer puts the events it cannot process."""
        return f"{self.topic}.dlq"

    @property
    def consumer_group(self) -> str:
        """One consumer group per service: its replicas share the partitions.

        Another group name reads the topics again from the beginning (a rebuild)."""
        return self.group_name or f"{self.topic_prefix}.{self.service}"

    def signing_secret(self) -> str:
        """The JWT secret: configured, or (embedded profile only) made once in the data folder."""
        if self.jwt_secret:
            return self.jwt_secret
        path = self.data_dir / "jwt-secret"
        if not path.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            path.touch(mode=0o600)
            path.write_text(secrets.token_urlsafe(48))
        return path.read_text().strip()


def topic_for(prefix: str, service: str) -> str:
    """The topic a service publishes to."""
    return f"{prefix}.{service}"
