"""The console's own settings: where the four services answer, and how long a session lasts."""

from __future__ import annotations

from enclave_shared.settings import ServiceSettings
from pydantic import Field


class ConsoleSettings(ServiceSettings):
    """Settings of the console (env vars prefixed CONSOLE_)."""

    incubation_url: str = Field("http://127.0.0.1:8001", validation_alias="CONSOLE_INCUBATION_URL")
    intake_url: str = Field("http://127.0.0.1:8002", validation_alias="CONSOLE_INTAKE_URL")
    hotline_url: str = Field("http://127.0.0.1:8003", validation_alias="CONSOLE_HOTLINE_URL")
    assessment_url: str = Field("http://127.0.0.1:8004", validation_alias="CONSOLE_ASSESSMENT_URL")
    service_timeout_s: float = Field(
        5.0,
        gt=0,
        validation_alias="CONSOLE_SERVICE_TIMEOUT_S",
        description="how long a page waits for a service before naming it as unavailable",
    )
    session_idle_s: int = Field(
        30 * 60, ge=60, validation_alias="CONSOLE_SESSION_IDLE_S", description="idle timeout"
    )
    session_max_s: int = Field(
        8 * 3600, ge=60, validation_alias="CONSOLE_SESSION_MAX_S", description="absolute timeout"
    )
    max_failed_logins: int = Field(5, ge=1, validation_alias="CONSOLE_MAX_FAILED_LOGINS")
    lockout_s: int = Field(15 * 60, ge=1, validation_alias="CONSOLE_LOCKOUT_S")
    # The console writes on every request, a GET too (the sign-in's last activity, its
    # expiry and the audit line, deps.current_signed_in): on SQLite all its sessions are the
    # writer's, never the platform's read-only engine (ENCLAVE_SQLITE_READ_CONNECTIONS).
    sqlite_read_connections: int = Field(
        0, ge=0, le=0, validation_alias="CONSOLE_SQLITE_READ_CONNECTIONS"
    )

    def service_urls(self) -> dict[str, str]:
        """Base URL of each service the console calls, by service name."""
        return {
            "incubation": self.incubation_url.rstrip("/"),
            "intake": self.intake_url.rstrip("/"),
            "hotline": self.hotline_url.rstrip("/"),
            "assessment": self.assessment_url.rstrip("/"),
        }
