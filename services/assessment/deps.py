"""The assessment's route dependencies: its runtime (typed with the platform's settings, the
service has none of its own) and who may do what."""

from __future__ import annotations

from typing import Annotated

from enclave_shared.app import Runtime
from enclave_shared.auth import Principal, Role, require
from enclave_shared.deps import runtime_of
from enclave_shared.settings import ServiceSettings
from fastapi import Depends

AssessmentRuntime = Annotated[Runtime[ServiceSettings], Depends(runtime_of(ServiceSettings))]

Assessor = Annotated[Principal, Depends(require(Role.ASSESSOR))]
"""Assessors (and admins) read and write; the district leader reads."""
