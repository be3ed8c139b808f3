"""Every public error class newsledger defines derives from NewsledgerError."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import newsledger
from newsledger.errors import NewsledgerError


def _package_modules() -> list[str]:
    names = ["newsledger"]
    for info in pkgutil.walk_packages(newsledger.__path__, "newsledger."):
        if not info.name.endswith("__main__"):  # running it starts the CLI
            names.append(info.name)
    return names


TRAIN_EXTRA = ("torch", "transformers", "onnx")


def test_every_error_derives_from_newsledger_error() -> None:
    outside = []
    for name in _package_modules():
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            # the training extra (torch, transformers) is not part of the default install
            if exc.name in TRAIN_EXTRA and name.startswith("newsledger.train."):
                continue
            raise
        for attr, value in vars(module).items():
            if not inspect.isclass(value) or value.__module__ != name:
                continue
            # Private control-flow signals (caught in the module that raises them) are exempt.
            if attr.startswith("_"):
                continue
            if issubclass(value, BaseException) and not issubclass(value, NewsledgerError):
                outside.append(f"{name}.{attr}")
    assert outside == []
