"""The deterministic demo data: generator and texts."""

from .generator import build_demo, write_demo_files

__all__ = ["build_demo", "write_demo_files"]
