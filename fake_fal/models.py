"""Models: how a test configures one (`ModelSpec`), and the output JSON each real model family returns.

Any endpoint id works with defaults; the family (read from the id) decides the output schema and which
CDN host its media URL names, shaped as the real ones (docs/fal-protocol.md, Outputs and CDN):

    v3b.fal.media   https://v3b.fal.media/files/b/<8 hex>/<nanoid>_video.mp4
    v3.fal.media    https://v3.fal.media/files/<animal>/<nanoid>_output.mp4
    fal.media       https://fal.media/files/<animal>/<nanoid>_output.mp4
"""

from __future__ import annotations

import random
import re
import string
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import av

MEDIA_HOSTS = ("fal.media", "v3.fal.media", "v3b.fal.media")
DEFAULT_CLIP = "ltx-1080p-6s"
ANIMALS = ("penguin", "panda", "koala", "zebra", "tiger", "monkey", "rabbit", "lion", "elephant", "kangaroo")
NANOID_ALPHABET = string.ascii_letters + string.digits + "_-"


@dataclass
class ModelSpec:
    """How one endpoint behaves. Timing fields left None take the timing mode's defaults."""

    endpoint_id: str
    clip: str | Path = DEFAULT_CLIP  # a fixtures.media clip name, or a path to any MP4
    media_host: str | None = None  # None: the family's usual host
    output: Any = None  # replaces the whole result JSON when set
    polls_in_queue: int = 1
    polls_in_progress: int = 1
    queue_seconds: float | None = None
    inference_time: float | None = None
    hold: bool = False
    queue_header: bool = (
        True  # answer fal.run's `X-Fal-Queue: true` with a ticket (the original app's old path)
    )
    required: tuple[str, ...] | None = None  # input keys that must be present; None: the family's

    def __post_init__(self) -> None:
        if self.media_host is not None and self.media_host not in MEDIA_HOSTS:
            raise ValueError(f"media_host must be one of {MEDIA_HOSTS}, not {self.media_host!r}")

    @property
    def family(self) -> str:
        return family_of(self.endpoint_id)

    @property
    def host(self) -> str:
        return self.media_host or FAMILY_HOST[self.family]

    @property
    def required_inputs(self) -> tuple[str, ...]:
        if self.required is not None:
            return self.required
        return ("prompt", "image_url") if "image-to-video" in self.endpoint_id else ("prompt",)


FAMILY_HOST = {
    "ltx-2": "v3b.fal.media",
    "ltx-2-19b": "v3b.fal.media",
    "ltx-video": "fal.media",
    "ltx-video-13b": "v3.fal.media",
    "video": "v3b.fal.media",
}


def family_of(endpoint_id: str) -> str:
    """The output family of an endpoint id, after the types in @fal-ai/client's endpoints.d.ts."""
    app = endpoint_id.split("/")[1] if "/" in endpoint_id else endpoint_id
    if app.startswith("ltx-2-19b"):
        return "ltx-2-19b"
    if re.fullmatch(r"ltxv?-2(\.\d+)?", app):
        return "ltx-2"
    if app.startswith(("ltx-video-13b", "ltxv-13b")):
        return "ltx-video-13b"
    if app.startswith("ltx-video"):
        return "ltx-video"
    return "video"  # kling-video, veo3, minimax, hailuo, wan...: {video: File}


@dataclass(frozen=True)
class ClipInfo:
    """What a video file really is, read from the file itself."""

    path: Path
    width: int
    height: int
    fps: float
    duration: float
    num_frames: int
    size: int


def resolve_clip(clip: str | Path) -> Path:
    if isinstance(clip, Path):
        return clip
    # Imported here: fixtures/ is data the fake serves, needed only once a named clip is asked for.
    from fixtures.media import clip_path

    return clip_path(clip)


@cache
def _probe(path: Path, mtime: float) -> ClipInfo:
    with av.open(str(path)) as container:
        duration = float(container.duration / av.time_base) if container.duration else 0.0
        size = path.stat().st_size
        if not container.streams.video:  # sound alone: a file with nothing to show, told as 0 by 0
            return ClipInfo(path, 0, 0, 0.0, round(duration, 2), 0, size)
        stream = container.streams.video[0]
        fps = float(stream.average_rate or 0)
        frames = stream.frames or round(duration * fps)
        return ClipInfo(path, stream.width, stream.height, fps, round(duration, 2), frames, size)


def clip_info(clip: str | Path) -> ClipInfo:
    path = resolve_clip(clip)
    return _probe(path, path.stat().st_mtime)


def nanoid(rng: random.Random, size: int = 21) -> str:
    return "".join(rng.choice(NANOID_ALPHABET) for _ in range(size))


def media_path(host: str, file_name: str, rng: random.Random) -> str:
    """A fresh CDN path shaped like the host's real ones."""
    if host == "v3b.fal.media":
        return f"/files/b/{rng.getrandbits(32):08x}/{nanoid(rng)}_{file_name}"
    return f"/files/{rng.choice(ANIMALS)}/{nanoid(rng)}_{file_name}"


def file_name_for(family: str) -> str:
    return "video.mp4" if family.startswith("ltx") else "output.mp4"


def build_output(spec: ModelSpec, url: str, info: ClipInfo, arguments: Any, rng: random.Random) -> Any:
    """The result JSON the real model family returns for one generated video at `url`."""
    if spec.output is not None:
        return spec.output
    family = spec.family
    file = {
        "url": url,
        "content_type": "video/mp4",
        "file_name": file_name_for(family),
        "file_size": info.size,
    }
    prompt = arguments.get("prompt", "") if isinstance(arguments, dict) else ""
    seed = (
        arguments.get("seed") if isinstance(arguments, dict) and "seed" in arguments else rng.getrandbits(31)
    )
    if family in ("ltx-2", "ltx-2-19b"):
        video = {
            **file,
            "width": info.width,
            "height": info.height,
            "fps": info.fps,
            "duration": info.duration,
            "num_frames": info.num_frames,
        }
        if family == "ltx-2-19b":
            return {"prompt": prompt, "seed": seed, "video": video}
        return {"video": video}
    if family == "ltx-video":
        return {"seed": seed, "video": file}
    if family == "ltx-video-13b":
        return {"prompt": prompt, "seed": seed, "video": file}
    return {"video": file}
