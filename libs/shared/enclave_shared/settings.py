"""Service settings: one pydantic-settings class, read from environment variables."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from enclave_shared.keys import (
    checked_private_key,
    checked_public_key,
    public_key_of,
    read_or_create_private_key,
)

EMBEDDED_KEY_FILE = "jwt-ed25519.pem"


class Profile(StrEnum):
    """Where the system runs: the embedded broker and SQLite, or Apache Kafka and PostgreSQL."""

    EMBEDDED = "embedded"
    REAL = "real"


class KafkaClientSettings(BaseSettings):
    """How a client reaches the broker: its address and, on Apache Kafka, its credentials.

    With `KAFKA_SASL_USERNAME` set the client authenticates with SASL (SCRAM-SHA-512 unless
    `KAFKA_SASL_MECHANISM` says otherwise), its password from `KAFKA_SASL_PASSWORD` or,
    better, the file `KAFKA_SASL_PASSWORD_FILE` (a secret mounted by the deployment). Each
    service has a user of its own: the broker's ACLs let it write only its topics. The
    embedded broker takes no credentials."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore", populate_by_name=True)

    kafka_bootstrap_servers: str = Field(
        "127.0.0.1:9092", validation_alias="KAFKA_BOOTSTRAP_SERVERS"
    )
    kafka_security_protocol: Literal["PLAINTEXT", "SASL_PLAINTEXT"] | None = Field(
        None, validation_alias="KAFKA_SECURITY_PROTOCOL"
    )
    kafka_sasl_mechanism: Literal["SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN"] = Field(
        "SCRAM-SHA-512", validation_alias="KAFKA_SASL_MECHANISM"
    )
    kafka_sasl_username: str | None = Field(None, validation_alias="KAFKA_SASL_USERNAME")
    kafka_sasl_password: SecretStr | None = Field(None, validation_alias="KAFKA_SASL_PASSWORD")
    kafka_sasl_password_file: Path | None = Field(None, validation_alias="KAFKA_SASL_PASSWORD_FILE")

    @model_validator(mode="after")
    def _kafka_credentials(self) -> KafkaClientSettings:
        if self.kafka_security_protocol is None:
            self.kafka_security_protocol = (
                "SASL_PLAINTEXT" if self.kafka_sasl_username else "PLAINTEXT"
            )
        if self.kafka_security_protocol == "PLAINTEXT":
            return self
        if not self.kafka_sasl_username:
            raise ValueError(f"KAFKA_SASL_USERNAME is required with {self.kafka_security_protocol}")
        if self.kafka_sasl_password is None and self.kafka_sasl_password_file is None:
            raise ValueError(
                "KAFKA_SASL_PASSWORD_FILE (or KAFKA_SASL_PASSWORD) is required with "
                "KAFKA_SASL_USERNAME"
            )
        return self

    @property
    def kafka_sasl(self) -> bool:
        """Whether clients authenticate to the broker."""
        return self.kafka_security_protocol != "PLAINTEXT"

    def kafka_sasl_secret(self) -> str:
        """The SASL password: given, or read from its file (at each connection: a rotated
        secret is picked up by the next client)."""
        if self.kafka_sasl_password is not None:
            return self.kafka_sasl_password.get_secret_value()
        assert self.kafka_sasl_password_file is not None  # checked when the settings were made
        secret = _read(self.kafka_sasl_password_file).strip()
        if not secret:
            raise ValueError(f"KAFKA_SASL_PASSWORD_FILE {self.kafka_sasl_password_file} is empty")
        return secret


class ServiceSettings(KafkaClientSettings):
    """Everything a service reads from its environment; unset values get the embedded default."""

    service: str = Field("service", validation_alias="ENCLAVE_SERVICE")
    profile: Profile = Field(Profile.EMBEDDED, validation_alias="ENCLAVE_PROFILE")
    data_dir: Path = Field(Path("var"), validation_alias="ENCLAVE_DATA_DIR")
    database_url: str = Field("", validation_alias="DATABASE_URL")
    topic_prefix: str = Field("enclave", validation_alias="ENCLAVE_TOPIC_PREFIX")
    topic_partitions: int = Field(3, ge=1, validation_alias="ENCLAVE_TOPIC_PARTITIONS")
    kafka_replication_factor: int = Field(1, ge=1, validation_alias="KAFKA_REPLICATION_FACTOR")
    kafka_min_insync_replicas: int = Field(1, ge=1, validation_alias="KAFKA_MIN_INSYNC_REPLICAS")
    kafka_idempotence: bool | None = Field(None, validation_alias="KAFKA_IDEMPOTENCE")
    kafka_session_timeout_ms: int | None = Field(
        None, ge=1000, validation_alias="KAFKA_SESSION_TIMEOUT_MS"
    )
    kafka_fetch_max_wait_ms: int | None = Field(
        None, ge=0, validation_alias="KAFKA_FETCH_MAX_WAIT_MS"
    )
    group_name: str = Field("", validation_alias="ENCLAVE_CONSUMER_GROUP")
    jwt_private_key_file: Path | None = Field(None, validation_alias="ENCLAVE_JWT_PRIVATE_KEY_FILE")
    jwt_public_key_file: Path | None = Field(None, validation_alias="ENCLAVE_JWT_PUBLIC_KEY_FILE")
    time_zone: str = Field("Asia/Shanghai", validation_alias="ENCLAVE_TIME_ZONE")
    token_ttl_s: int = Field(8 * 3600, ge=60, validation_alias="ENCLAVE_TOKEN_TTL_S")
    outbox_poll_s: float = Field(1.0, gt=0, validation_alias="ENCLAVE_OUTBOX_POLL_S")
    outbox_idle_poll_s: float | None = Field(
        None, gt=0, validation_alias="ENCLAVE_OUTBOX_IDLE_POLL_S"
    )
    sqlite_busy_timeout_ms: int = Field(
        5000, ge=0, validation_alias="ENCLAVE_SQLITE_BUSY_TIMEOUT_MS"
    )
    retry_backoff_max_s: float = Field(5.0, gt=0, validation_alias="ENCLAVE_RETRY_BACKOFF_MAX_S")
    prune_after_days: int | None = Field(None, ge=0, validation_alias="ENCLAVE_PRUNE_AFTER_DAYS")
    max_body_bytes: int = Field(1024 * 1024, ge=1024, validation_alias="ENCLAVE_MAX_BODY_BYTES")
    consumer_stall_s: float = Field(60.0, gt=0, validation_alias="ENCLAVE_CONSUMER_STALL_S")
    shutdown_grace_s: float = Field(15.0, gt=0, validation_alias="ENCLAVE_SHUTDOWN_GRACE_S")
    log_level: str = Field("INFO", validation_alias="LOG_LEVEL")
    # set: OpenTelemetry tracing on (enclave_shared.tracing), spans exported there over OTLP
    otel_exporter_otlp_endpoint: str | None = Field(
        None, validation_alias="OTEL_EXPORTER_OTLP_ENDPOINT"
    )

    @model_validator(mode="after")
    def _fill_defaults(self) -> ServiceSettings:
        if not self.database_url:
            if self.profile is Profile.REAL:
                raise ValueError("DATABASE_URL is required in the real profile")
            self.database_url = f"sqlite+aiosqlite:///{self.data_dir / (self.service + '.db')}"
        if self.profile is Profile.EMBEDDED:
            self.kafka_security_protocol = "PLAINTEXT"  # the embedded broker takes no credentials
        if self.kafka_idempotence is None:
            # The embedded Tansu broker refuses InitProducerId, so idempotence is off there.
            self.kafka_idempotence = self.profile is Profile.REAL
        if self.kafka_session_timeout_ms is None:
            # Tansu holds a group's first join for half the session timeout: keep it short
            # there. Apache Kafka refuses sessions under group.min.session.timeout.ms (6 s).
            self.kafka_session_timeout_ms = 3000 if self.profile is Profile.EMBEDDED else 10000
        if self.prune_after_days is None:
            # The embedded broker forgets: its outbox and inbox are the history (never pruned).
            self.prune_after_days = 0 if self.profile is Profile.EMBEDDED else 30
        if self.kafka_fetch_max_wait_ms is None:
            # Tansu answers a waiting fetch only when its wait ends, not when data arrives.
            self.kafka_fetch_max_wait_ms = 5 if self.profile is Profile.EMBEDDED else 100
        if self.outbox_idle_poll_s is None:
            # Embedded: one process per database, whose relay is woken by its own commits; the
            # poll finds only what another process wrote. Real: a replica's commits wait for
            # the leader's poll, so it does not slow down.
            embedded = self.profile is Profile.EMBEDDED
            self.outbox_idle_poll_s = 8.0 if embedded else self.outbox_poll_s
        if self.profile is Profile.REAL and self.jwt_public_key_file is None:
            raise ValueError("ENCLAVE_JWT_PUBLIC_KEY_FILE is required in the real profile")
        return self

    @field_validator("time_zone")
    @classmethod
    def _known_time_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"ENCLAVE_TIME_ZONE: unknown time zone {value!r}") from exc
        return value

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

    def signing_key(self) -> str:
        """The private key tokens are signed with (the console and the CLI only): the
        configured file, or (embedded profile only) one made once in the data folder."""
        if self.jwt_private_key_file is not None:
            return checked_private_key(
                _read(self.jwt_private_key_file), "ENCLAVE_JWT_PRIVATE_KEY_FILE"
            )
        if self.profile is Profile.REAL:
            raise ValueError("ENCLAVE_JWT_PRIVATE_KEY_FILE is required to sign tokens")
        return read_or_create_private_key(self.data_dir / EMBEDDED_KEY_FILE)

    def verifying_key(self) -> str:
        """The public key every service verifies tokens with."""
        if self.jwt_public_key_file is not None:
            return checked_public_key(
                _read(self.jwt_public_key_file), "ENCLAVE_JWT_PUBLIC_KEY_FILE"
            )
        return public_key_of(self.signing_key())


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror}") from exc


def topic_for(prefix: str, service: str) -> str:
    """The topic a service publishes to."""
    return f"{prefix}.{service}"
