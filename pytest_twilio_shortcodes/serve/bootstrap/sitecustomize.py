"""pytest-twilio-shortcodes: the start of a Python child process served by the mock.

``serve()``'s environment puts this directory first on the child's ``PYTHONPATH`` (as
coverage.py starts in subprocesses), so Python runs this file at start-up. With
``TWILIO_SHORTCODES_PROXY`` set, it sends the child's Twilio requests through the mock's
proxy and refuses every other way to Twilio (``_pytest_twilio_shortcodes_child``); then it
runs the ``sitecustomize`` this one hides, if there is one. It never stops the child from
starting.
"""

import os
import sys


def _start() -> None:
    proxy = os.environ.get("TWILIO_SHORTCODES_PROXY")
    if not proxy:
        return
    try:
        import _pytest_twilio_shortcodes_child

        _pytest_twilio_shortcodes_child.install(proxy)
    except Exception as error:  # a broken bootstrap must not break the child
        print(f"pytest-twilio-shortcodes: child bootstrap failed: {error!r}", file=sys.stderr)


def _run_the_hidden_sitecustomize() -> None:
    import importlib.machinery
    import importlib.util

    here = os.path.dirname(os.path.abspath(__file__))
    path = [p for p in sys.path if os.path.abspath(p or os.curdir) != here]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", path)
    if spec is not None and spec.loader is not None:
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)


_start()
_run_the_hidden_sitecustomize()
