"""The deterministic demo data: generator and texts."""

from .generator import SCALES, build_demo, write_demo_files

__all__ = ["SCALES", "build_demo", "write_demo_files"]
