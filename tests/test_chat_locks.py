"""The Telegram adapter's per-chat locks: a chat's updates in order, chats in parallel."""

from __future__ import annotations

import asyncio

import pytest

from bot.telegram.chat_locks import ChatLocks


@pytest.mark.asyncio
async def test_one_chat_in_order_other_chats_in_parallel():
    locks = ChatLocks()
    events: list[str] = []

    def job(name: str, delay: float):
        async def run():
            events.append(f"start {name}")
            await asyncio.sleep(delay)
            events.append(f"end {name}")
        return run

    await asyncio.gather(
        locks.run(1, job("a1", 0.05)),   # slow first message of chat 1...
        locks.run(1, job("a2", 0.0)),    # ...still answered before its second
        locks.run(2, job("b1", 0.0)),    # chat 2 does not wait for chat 1
    )
    assert events.index("end a1") < events.index("start a2")
    assert events.index("end b1") < events.index("end a1")
    assert locks._locks == {} and locks._users == {}   # nothing kept once a chat is idle


@pytest.mark.asyncio
async def test_a_failing_job_releases_the_chat():
    locks = ChatLocks()

    async def boom():
        raise RuntimeError("send failed")

    with pytest.raises(RuntimeError):
        await locks.run(7, boom)
    done = []

    async def ok():
        done.append(True)

    await asyncio.wait_for(locks.run(7, ok), timeout=1)
    assert done == [True] and locks._locks == {}
