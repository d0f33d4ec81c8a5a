"""Every read and write of the account, and choosing-and-using a scripted fault, is one
atomic step. Each race is first forced deterministically, by pausing one thread at the
critical point until the other has either finished or is waiting for the lock; then the
same operations run for real, 8 threads with a tiny switch interval."""

from __future__ import annotations

import sys
import threading
from typing import Any, Callable

import pytest
import requests

from pytest_twilio_shortcodes.testkit import faults

PATIENCE = 30  # seconds: only a broken lock could make a pause wait this long


class ContendedLock:
    """Wraps a lock; calls ``on_contention`` when a thread has to wait for it."""

    def __init__(self, lock: Any, on_contention: Callable[[], None]) -> None:
        self._lock, self._on_contention = lock, on_contention

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        if self._lock.acquire(blocking=False):
            return True
        self._on_contention()
        return self._lock.acquire(blocking, timeout)

    def release(self) -> None:
        self._lock.release()

    def __enter__(self) -> ContendedLock:
        self.acquire()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()


def in_thread(work: Callable[[], Any], name: str = "") -> tuple[threading.Thread, dict[str, Any]]:
    """Run ``work`` in a thread; its result or exception lands in the dict."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["result"] = work()
        except BaseException as error:
            outcome["error"] = error

    thread = threading.Thread(target=run, name=name or None)
    thread.start()
    return thread, outcome


@pytest.fixture
def pool(twilio_shortcodes, api):
    mock = twilio_shortcodes
    sid = mock.add_short_code("12345")
    service = mock.add_messaging_service(short_codes=[sid])
    return f"https://messaging.twilio.com/v1/Services/{service}/ShortCodes", sid


def test_a_delete_between_a_fetchs_lookups_cannot_break_it(twilio_shortcodes, api, pool):
    """A fetch looks a membership up in two steps; a DELETE in another thread between
    them used to raise KeyError in the caller."""
    url, sid = pool
    members = twilio_shortcodes._account.messaging_services[url.split("/")[5]].members
    paused, go = threading.Event(), threading.Event()

    class PauseAfterFirstLookup(dict):
        def get(self, key: Any, default: Any = None) -> Any:
            found = super().get(key, default)
            if threading.current_thread().name == "fetcher" and not paused.is_set():
                paused.set()
                go.wait(PATIENCE)  # the DELETE finishes, or waits for the lock
            return found

    members._seq_of = PauseAfterFirstLookup(members._seq_of)
    account = twilio_shortcodes._account
    account.lock = ContendedLock(account.lock, go.set)
    thread, fetched = in_thread(lambda: api.get(f"{url}/{sid}"), name="fetcher")
    assert paused.wait(PATIENCE)
    deleted = api.delete(f"{url}/{sid}")
    go.set()
    thread.join()

    assert "error" not in fetched, fetched.get("error")
    assert fetched["result"].status_code == 200  # the fetch ran whole, before the DELETE
    assert deleted.status_code == 204
    assert twilio_shortcodes.messaging_service_short_codes(url.split("/")[5]) == []


def test_a_fault_is_chosen_and_used_up_in_one_step(twilio_shortcodes, api, pool, monkeypatch):
    """``fail_next(times=1)`` used to fire twice when a second request chose the fault
    before the first had used it up."""
    url, _ = pool
    fault = twilio_shortcodes.fail_next("GET", status=503)
    paused, go = threading.Event(), threading.Event()
    fire = faults.Fault.fire

    def pausing_fire(self: faults.Fault, request_url: str) -> Exception:
        if not paused.is_set():
            paused.set()
            go.wait(PATIENCE)  # the second request finishes, or waits for the lock
        return fire(self, request_url)

    monkeypatch.setattr(faults.Fault, "fire", pausing_fire)
    twilio_shortcodes.faults._lock = ContendedLock(twilio_shortcodes.faults._lock, go.set)
    thread, first = in_thread(lambda: api.get(url))
    assert paused.wait(PATIENCE)
    second = api.get(url)
    go.set()
    thread.join()

    statuses = sorted([first["result"].status_code, second.status_code])
    assert statuses == [200, 503]
    assert fault.remaining == 0
    assert [call.fault for call in twilio_shortcodes.calls].count(True) == 1


@pytest.fixture
def tiny_switch_interval():
    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(previous)


THREADS = 8


def run_threads(work: Callable[[int], None]) -> list[BaseException]:
    errors: list[BaseException] = []

    def run(n: int) -> None:
        try:
            work(n)
        except BaseException as error:  # reported by the caller
            errors.append(error)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_fetches_racing_deletes_for_real(twilio_shortcodes, api, tiny_switch_interval):
    mock = twilio_shortcodes
    sids = mock.add_short_codes(str(20000 + n) for n in range(THREADS // 2))
    service = mock.add_messaging_service()
    url = f"https://messaging.twilio.com/v1/Services/{service}/ShortCodes"
    statuses: list[int] = []

    def work(n: int) -> None:
        sid = sids[n // 2]
        for _ in range(150):
            if n % 2:  # half the threads add and remove, the other half fetch
                statuses.append(api.post(url, data={"ShortCodeSid": sid}).status_code)
                statuses.append(api.delete(f"{url}/{sid}").status_code)
            else:
                statuses.append(api.get(f"{url}/{sid}").status_code)

    assert run_threads(work) == []
    assert set(statuses) <= {200, 201, 204, 404}
    assert len(statuses) == THREADS // 2 * 150 * 3
    assert mock.messaging_service_short_codes(service) == []


def test_faults_fire_exactly_as_often_as_asked_for_real(
    twilio_shortcodes, api, pool, tiny_switch_interval
):
    url, _ = pool
    once = [twilio_shortcodes.fail_next("GET", status=503) for _ in range(100)]
    many = twilio_shortcodes.fail_next("GET", status=429, times=100)
    answers: list[requests.Response] = []

    def work(n: int) -> None:
        for _ in range(50):
            answers.append(api.get(url))

    assert run_threads(work) == []
    statuses = [answer.status_code for answer in answers]
    assert (statuses.count(503), statuses.count(429), statuses.count(200)) == (100, 100, 200)
    assert [fault.remaining for fault in [*once, many]] == [0] * 101
