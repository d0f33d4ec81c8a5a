"""8 threads x 1,000 mixed operations through the SDK: every invariant still holds."""

from __future__ import annotations

import random
import threading
from collections import Counter

from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

THREADS = 8
OPERATIONS = 1000


def test_concurrent_mixed_operations(twilio_shortcodes):
    mock = twilio_shortcodes
    short_codes = mock.add_short_codes(str(10000 + i) for i in range(40))
    services = [mock.add_messaging_service(f"s{i}") for i in range(4)]
    net = Counter()  # per thread: successful adds minus successful removes
    errors: list[BaseException] = []
    page_problems: list[str] = []

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        client = Client(mock.account_sid, mock.auth_token)
        try:
            for _ in range(OPERATIONS):
                service = rng.choice(services)
                sid = rng.choice(short_codes)
                api = client.messaging.v1.services(service).short_codes
                roll = rng.random()
                try:
                    if roll < 0.4:
                        api.create(short_code_sid=sid)
                        net[seed] += 1
                    elif roll < 0.7:
                        api(sid).delete()
                        net[seed] -= 1
                    elif roll < 0.85:
                        api(sid).fetch()
                    else:
                        # Every page is consistent on its own. (Across a walk, a short code
                        # removed and re-added meanwhile is a new membership and may come
                        # again later; walk stability is pinned single-threaded elsewhere.)
                        size = rng.randint(1, 7)
                        page = api.page(page_size=size)
                        while page is not None:
                            records = list(page)
                            sids = [sc.sid for sc in records]
                            if len(sids) > size or len(sids) != len(set(sids)):
                                page_problems.append(f"bad page {sids} of {service}")
                            if any(sc.service_sid != service for sc in records):
                                page_problems.append(f"foreign item on a page of {service}")
                            page = page.next_page()
                except TwilioRestException as error:
                    if error.code not in (20404, 21710, 21712):
                        raise
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(seed,)) for seed in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert page_problems == []
    members = {service: mock.messaging_service_short_codes(service) for service in services}
    everyone = [sid for sids in members.values() for sid in sids]
    assert len(everyone) == len(set(everyone))  # no short code in two Messaging Services
    assert len(everyone) == sum(net.values())  # every success counted exactly once
    assert len(mock.calls) >= THREADS * OPERATIONS
    client = Client(mock.account_sid, mock.auth_token)
    for service, sids in members.items():
        listed = [
            sc.sid for sc in client.messaging.v1.services(service).short_codes.list(page_size=3)
        ]
        assert listed == sids
