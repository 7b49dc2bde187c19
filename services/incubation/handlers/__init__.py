"""The incubation use cases, one module per area: projects and the backlog, the lifecycle,
the enclave's other records, the figures. Routes and consumers call them alike; they record
their events with `session.record(...)` and never commit."""
