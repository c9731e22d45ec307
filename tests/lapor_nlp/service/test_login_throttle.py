"""Failed console sign-ins are limited per address and per key prefix, in a sliding window."""

from __future__ import annotations

from lapor_nlp.auth.throttle import LoginThrottle


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_an_address_is_held_back_after_its_failures_and_released_by_the_window() -> None:
    clock = Clock()
    throttle = LoginThrottle(3, 60.0, clock=clock)
    for i in range(3):
        assert throttle.retry_after("10.0.0.1", f"lpr_guess{i:04d}x") == 0
        throttle.failed("10.0.0.1", f"lpr_guess{i:04d}x")
        clock.now += 1
    # Even a right key waits: the address is what guesses.
    assert throttle.retry_after("10.0.0.1", "lpr_realkey123") == 57.0
    assert throttle.retry_after("10.0.0.2", "lpr_realkey123") == 0  # another address may
    clock.now += 57
    assert throttle.retry_after("10.0.0.1", "lpr_realkey123") == 0


def test_one_key_prefix_is_held_back_from_every_address() -> None:
    clock = Clock()
    throttle = LoginThrottle(2, 60.0, clock=clock)
    throttle.failed("10.0.0.1", "lpr_abcdefgh-wrong-secret-1")
    throttle.failed("10.0.0.2", "lpr_abcdefgh-wrong-secret-2")
    assert throttle.retry_after("10.0.0.3", "lpr_abcdefgh-another-try") == 60.0
    assert throttle.retry_after("10.0.0.3", "lpr_zzzzzzzz-other-key") == 0
