"""The hotline's use cases, one module per area: tickets (opening, reading, visibility), the
lifecycle moves, supervision (the SLA sweep), the stats, and the intake-event tickets.
Routes, consumers and jobs call them alike; they record their events with
`session.record(...)` and never commit."""
