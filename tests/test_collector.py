"""Generation runs with the cyclic garbage collector paused, and gives it back as found,
also when a generator fails."""

import gc

import pytest

from seed_data.seeding import collector_paused


def test_the_collector_is_paused_during_generation_and_restored_after_a_failure() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        assert not gc.isenabled()
        raise RuntimeError("generator failed")
    assert gc.isenabled()


def test_a_collector_disabled_by_the_caller_stays_disabled() -> None:
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
