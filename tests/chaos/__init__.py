"""`make chaos`: the fault suite. Runs the system as `make run` does, drives business flows
through the public HTTP APIs while injecting faults, then compares every effect with what
was driven (see docs/chaos.md)."""
