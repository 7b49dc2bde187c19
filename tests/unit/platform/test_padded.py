"""`IN (…)` lists are padded to a power-of-two length (db.padded), so the relay's marking and
the consumer's inbox lookup are a few statements to the drivers' caches, not one a length."""

from __future__ import annotations

from enclave_shared.db import padded


def test_in_lists_are_padded_to_a_power_of_two():
    assert padded([]) == []
    assert padded([7]) == [7]
    assert padded([1, 2, 3]) == [1, 2, 3, 3]
    assert len(padded(list(range(300)))) == 512
    assert set(padded(list(range(300)))) == set(range(300))
