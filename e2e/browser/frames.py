"""What colour a video frame really shows, read from a screenshot with Pillow.

The fixture clips (`fixtures.media`) show one solid colour per second. After H.264's YUV 4:2:0 encoding and
the browser's conversion back to RGB a colour comes back a few units off, so frames are compared per channel
with a tolerance, on the middle of the picture (away from letterboxing and scaled edges).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageStat

Colour = tuple[int, int, int]

# YUV 4:2:0 round trips of the palette stay within about 15 units per channel; the palette's colours are
# more than 100 apart, so 40 tells them apart with room to spare.
TOLERANCE = 40


@dataclass(frozen=True)
class FrameColour:
    """The median colour of a frame's centre, and how uniform that centre is."""

    colour: Colour
    spread: int  # the largest per-channel standard deviation: near 0 for a solid frame

    def distance(self, expected: Colour) -> int:
        return max(abs(got - want) for got, want in zip(self.colour, expected, strict=True))

    def matches(self, expected: Colour, tolerance: int = TOLERANCE) -> bool:
        return self.distance(expected) <= tolerance


def frame_colour(png: bytes, centre: float = 0.5) -> FrameColour:
    """The colour of the middle `centre` fraction (by width and height) of a PNG screenshot."""
    with Image.open(io.BytesIO(png)) as image:
        rgb = image.convert("RGB")
        width, height = rgb.size
        margin_x, margin_y = int(width * (1 - centre) / 2), int(height * (1 - centre) / 2)
        middle = rgb.crop((margin_x, margin_y, width - margin_x, height - margin_y))
        stat = ImageStat.Stat(middle)
        median = stat.median
        colour: Colour = (int(median[0]), int(median[1]), int(median[2]))
        return FrameColour(colour, int(max(stat.stddev)))


def describe(colour: Colour) -> str:
    return "rgb({}, {}, {})".format(*colour)
