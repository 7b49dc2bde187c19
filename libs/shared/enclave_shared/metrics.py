"""Prometheus metrics; every series carries the service name, so services can share a process."""

from prometheus_client import Counter, Gauge, Histogram

HTTP_LATENCY = Histogram(
    "enclave_http_request_duration_seconds",
    "HTTP request latency",
    ["service", "method", "route", "status"],
)
EVENTS_PUBLISHED = Counter(
    "enclave_events_published_total", "Events the outbox relay published", ["service", "type"]
)
EVENTS_CONSUMED = Counter(
    "enclave_events_consumed_total", "Events a consumer applied", ["service", "type"]
)
EVENTS_DUPLICATE = Counter(
    "enclave_events_duplicate_total", "Events a consumer had applied already", ["service"]
)
EVENTS_DEAD_LETTERED = Counter(
    "enclave_events_dead_lettered_total", "Events sent to the dead-letter topic", ["service"]
)
EVENT_RETRIES = Counter(
    "enclave_event_retries_total", "Transient failures retried in place", ["service"]
)
OUTBOX_BACKLOG = Gauge("enclave_outbox_backlog", "Outbox events not yet published", ["service"])
CONSUMER_LAG = Gauge(
    "enclave_consumer_lag", "Messages behind the partition end", ["service", "topic", "partition"]
)
OUTBOX_RELAY_FAILURES = Counter(
    "enclave_outbox_relay_failures_total",
    "Outbox relay passes that failed, by the step that failed (read, send, mark)",
    ["service", "step"],
)
CONSUMER_PROGRESS = Gauge(
    "enclave_consumer_last_progress_timestamp_seconds",
    "When the consumer last applied a batch or found nothing to do (stale: stuck or dead)",
    ["service"],
)
DEAD_LETTER_FAILURES = Counter(
    "enclave_dead_letter_failures_total",
    "Dead-letter sends that failed (retried; the partition waits)",
    ["service"],
)
READY = Gauge(
    "enclave_ready",
    "1 while a readiness check passes, 0 while it fails: the checks of /readyz, taken at scrape",
    ["service", "check"],
)
SLA_BREACHES = Counter(
    "enclave_sla_breaches_total",
    "Hotline tickets that passed a limit (督办, 提级督办 each further level), by the limit",
    ["service", "breach"],
)
