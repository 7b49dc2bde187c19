"""The incubation service's own settings: the industry chains and the 531 training targets."""

from __future__ import annotations

from typing import Annotated

from enclave_shared.catalog.incubation import TrainingTrack
from enclave_shared.settings import ServiceSettings
from pydantic import Field, field_validator
from pydantic_settings import NoDecode

# The seven key industry chains (七大产业链). The source names only the first three; the
# other four are placeholders chosen to fit the 三新两大 layout, to be replaced by the
# district's real list through ENCLAVE_INDUSTRY_CHAINS.
DEFAULT_INDUSTRY_CHAINS: tuple[str, ...] = (
    "advanced_machinery",  # 先进机械制造 (named in the source)
    "metal_new_materials",  # 金属新材料 (named in the source)
    "black_talc",  # 黑滑石 (named in the source)
    "new_electronics",  # placeholder
    "smart_manufacturing",  # placeholder
    "digital_economy",  # placeholder
    "culture_tourism",  # placeholder
)

# The 531 programme's targets over the 14th five-year plan (2021-2025).
DEFAULT_TRAINING_TARGETS: dict[TrainingTrack, int] = {
    TrainingTrack.MANAGERS: 100,
    TrainingTrack.ENTREPRENEURS: 100,
    TrainingTrack.SKILLED_WORKERS: 10_000,
}


class IncubationSettings(ServiceSettings):
    """Settings of the incubation service, on top of the platform's."""

    industry_chains: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: list(DEFAULT_INDUSTRY_CHAINS),
        validation_alias="ENCLAVE_INDUSTRY_CHAINS",
        description="comma-separated chain codes, e.g. advanced_machinery,black_talc",
    )
    training_target_managers: int = Field(
        DEFAULT_TRAINING_TARGETS[TrainingTrack.MANAGERS],
        ge=0,
        validation_alias="ENCLAVE_TRAINING_TARGET_MANAGERS",
    )
    training_target_entrepreneurs: int = Field(
        DEFAULT_TRAINING_TARGETS[TrainingTrack.ENTREPRENEURS],
        ge=0,
        validation_alias="ENCLAVE_TRAINING_TARGET_ENTREPRENEURS",
    )
    training_target_skilled_workers: int = Field(
        DEFAULT_TRAINING_TARGETS[TrainingTrack.SKILLED_WORKERS],
        ge=0,
        validation_alias="ENCLAVE_TRAINING_TARGET_SKILLED_WORKERS",
    )

    @field_validator("industry_chains", mode="before")
    @classmethod
    def _split_chains(cls, value: object) -> object:
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",")]
        if isinstance(value, list | tuple):
            chains = [str(part).strip() for part in value if str(part).strip()]
            if not chains:
                raise ValueError("at least one industry chain is required")
            if any(len(chain) > 64 for chain in chains):
                raise ValueError("an industry chain code has at most 64 characters")
            return chains
        return value

    def training_targets(self) -> dict[TrainingTrack, int]:
        """The 531 target of each track."""
        return {
            TrainingTrack.MANAGERS: self.training_target_managers,
            TrainingTrack.ENTREPRENEURS: self.training_target_entrepreneurs,
            TrainingTrack.SKILLED_WORKERS: self.training_target_skilled_workers,
        }
