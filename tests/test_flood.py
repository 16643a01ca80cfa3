"""Per-user flood control, on a fake clock."""

from __future__ import annotations

from bot.config import FloodSettings
from bot.flood import FloodControl, Verdict


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_burst_gets_one_notice_then_silence_then_recovery():
    clock = Clock()
    flood = FloodControl(FloodSettings(messages=3, per_seconds=10, mute_seconds=30), clock=clock)
    assert [flood.check(1) for _ in range(3)] == [Verdict.ALLOW] * 3
    assert flood.check(1) is Verdict.NOTIFY
    assert [flood.check(1) for _ in range(5)] == [Verdict.DROP] * 5
    assert flood.check(2) is Verdict.ALLOW   # other users are not affected
    clock.now += 31
    assert flood.check(1) is Verdict.ALLOW


def test_messages_spread_out_are_never_limited():
    clock = Clock()
    flood = FloodControl(FloodSettings(messages=3, per_seconds=10, mute_seconds=30), clock=clock)
    for _ in range(50):
        assert flood.check(1) is Verdict.ALLOW
        clock.now += 4


def test_memory_is_bounded():
    flood = FloodControl(FloodSettings(), clock=Clock(), max_users=100)
    for user in range(1000):
        flood.check(user)
    assert len(flood._users) == 100


def test_messages_timed_by_when_they_were_written():
    # A backlog delivered at once (after an outage) is not a flood if it was written slowly.
    flood = FloodControl(FloodSettings(messages=3, per_seconds=10, mute_seconds=30), clock=Clock())
    written = [5000.0 + 6 * i for i in range(10)]
    assert [flood.check(1, at) for at in written] == [Verdict.ALLOW] * 10
    assert [flood.check(2, 6000.0 + i) for i in range(4)][-1] is Verdict.NOTIFY
