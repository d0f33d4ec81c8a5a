"""The two tools every seam uses: an attribute swap nothing else can undo, and a hook that
runs when an optional client (aiohttp, httpx, aiodns) is first imported.

Seams are plain assignments, not ``unittest.mock.patch``: ``patch.stopall()`` in a test
cannot switch the plugin off. ``stop()`` restores the original only while the attribute
is still ours; if someone patched on top of us, our function stays underneath theirs, and
it is inert: every seam passes straight through while no mock is active.
"""

from __future__ import annotations

import contextlib
import importlib.abc
import importlib.util
import sys
import threading
from types import ModuleType
from typing import Any, Callable, Optional, Sequence

from .registry import active


class Patch:
    """``owner.name = make(original)`` from ``start()`` to ``stop()``."""

    def __init__(self, owner: Any, name: str, make: Callable[[Any], Any]) -> None:
        self.owner, self.name, self.make = owner, name, make
        self.original: Any = None
        self.new: Any = None
        self._own = False  # the original was in owner's own __dict__ (not inherited)

    def start(self) -> None:
        if self.new is not None:
            return
        self._own = self.name in vars(self.owner)
        self.original = getattr(self.owner, self.name)
        self.new = self.make(self.original)
        setattr(self.owner, self.name, self.new)

    def stop(self) -> None:
        if self.new is None:
            return
        if getattr(self.owner, self.name) is self.new:
            if self._own:
                setattr(self.owner, self.name, self.original)
            else:
                delattr(self.owner, self.name)
        self.new = None


class _AfterImport(importlib.abc.MetaPathFinder):
    """Runs callbacks right after a module is first imported (a post-import hook).

    Only while some callback waits is it in ``sys.meta_path``; it finds the module's spec
    with the other finders and wraps that loader's ``exec_module``."""

    def __init__(self) -> None:
        self.waiting: dict[str, list[Callable[[], None]]] = {}
        self._looking = threading.local()

    def find_spec(
        self, fullname: str, path: Optional[Sequence[str]] = None, target: Any = None
    ) -> Any:
        if fullname not in self.waiting or getattr(self._looking, "name", None) == fullname:
            return None
        self._looking.name = fullname
        try:
            spec = importlib.util.find_spec(fullname)
        finally:
            self._looking.name = None
        loader = getattr(spec, "loader", None)
        if loader is None or not hasattr(loader, "exec_module"):
            return None
        exec_module = loader.exec_module

        def exec_then_call(module: ModuleType) -> None:
            exec_module(module)
            vars(loader).pop("exec_module", None)
            for callback in self.waiting.pop(fullname, ()):
                callback()
            if not self.waiting:
                remove_hook()

        loader.exec_module = exec_then_call
        return spec


_HOOK = _AfterImport()


def when_imported(name: str, callback: Callable[[], None]) -> None:
    """``callback()`` now if ``name`` is imported, else right after its first import
    (unless ``forget(name, callback)`` comes first)."""
    if name in sys.modules:
        callback()
        return
    _HOOK.waiting.setdefault(name, []).append(callback)
    if _HOOK not in sys.meta_path:
        sys.meta_path.insert(0, _HOOK)


def forget(name: str, callback: Callable[[], None]) -> None:
    waiting = _HOOK.waiting.get(name, [])
    if callback in waiting:
        waiting.remove(callback)
    if not waiting:
        _HOOK.waiting.pop(name, None)
    if not _HOOK.waiting:
        remove_hook()


def remove_hook() -> None:
    with contextlib.suppress(ValueError):
        sys.meta_path.remove(_HOOK)


class LateSeam:
    """The patches for a module that may be absent or first imported later (aiohttp,
    httpx, aiodns, ssl): made and started once ``module`` is imported, if ``wanted()``
    still holds then (by default: while a mock is active)."""

    def __init__(
        self,
        module: str,
        make: Callable[[], list[Patch]],
        wanted: Callable[[], bool] = active,
    ) -> None:
        self.module, self.make, self.wanted = module, make, wanted
        self.patches: Optional[list[Patch]] = None

    def install(self) -> None:
        if importable(self.module):
            when_imported(self.module, self._start)

    def _start(self) -> None:
        if not self.wanted():
            return
        if self.patches is None:
            self.patches = self.make()
        for patch in self.patches:
            patch.start()

    def uninstall(self) -> None:
        forget(self.module, self._start)
        for patch in self.patches or ():
            patch.stop()


_IMPORTABLE: dict[str, bool] = {}


def importable(name: str) -> bool:
    """Whether ``name`` could be imported (looked up once a process, without importing)."""
    if name not in _IMPORTABLE:
        _IMPORTABLE[name] = name in sys.modules or importlib.util.find_spec(name) is not None
    return _IMPORTABLE[name]
