"""fake_fal: an emulator of FAL (queue, run, storage and CDN hosts) over HTTPS, for end-to-end tests."""

from .faults import Fault
from .limits import Limits
from .log import LogEntry, RequestLog
from .models import ModelSpec
from .server import HOSTS, FakeFal

__all__ = ["HOSTS", "FakeFal", "Fault", "Limits", "LogEntry", "ModelSpec", "RequestLog"]
