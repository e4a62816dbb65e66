"""Draft a scenario from a HAR: the FAL job's lifecycle, its endpoint, the media URLs, hosts and sizes.

    python -m e2e.repro.har2scenario user.har [--model ltxv2_fast_t2v] [--name NAME] [-o scenario.toml]

A user saves the HAR from DevTools (Network, "Save all as HAR with content"); this reads the FAL traffic
in it (a synchronous `fal.run` call, or the queue's submit, status polls and result), the media downloads
and the loads the browser refused, and the app page's own CSP and COEP headers, and prints a scenario in
the format of `fixtures/scenarios/README.md`. What a HAR cannot show (storage, projects, filters, the
user's words) is left as commented defaults to edit. The app's model id is not on the wire: it is looked
up by the FAL endpoint in the reference app's model list; for an endpoint the app does not offer, pass
`--model` or edit the placeholder.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from e2e.repro.har import (
    Exchange,
    FalJob,
    HarError,
    Media,
    fal_job,
    media_files,
    page_policy,
    read_har,
)
from e2e.repro.scenario import name_error, name_from
from fake_fal.models import MEDIA_HOSTS
from media_app.models import APP_MODELS, AppModel, model_by_id, model_for_endpoint

MODEL_PLACEHOLDER = "set-the-app-model-id"
# The reference app's model list (id, name, endpoint, ...): where a FAL endpoint is mapped to the app's id.
DEFAULT_CLIP = "ltx-1080p-6s"


def _clip_for(size: int | None) -> tuple[str, bool] | None:
    """The fixture clip of exactly `size` bytes, and whether it is padded to that size (else encoded so)."""
    if size is None:
        return None
    # Imported here, as models.py does: fixtures/ is the data the fake serves.
    from fixtures.media import CLIPS, clip_path

    for name, clip in CLIPS.items():
        if clip.pad_to_bytes == size:
            return name, True
    for name, clip in CLIPS.items():
        if clip.pad_to_bytes is None and clip_path(name).stat().st_size == size:
            return name, False
    return None


def _toml(value: Any) -> str:
    """A TOML value: JSON strings, numbers and booleans are valid TOML too; tables become inline tables."""
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{key} = {_toml(item)}" for key, item in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def _multiline(text: str) -> str:
    # A literal multi-line string keeps backslashes; only ''' cannot appear in it.
    return "'''\n" + text.replace("'''", "'' '") + "\n'''"


def draft(exchanges: Sequence[Exchange], *, source: str, name: str, model: str | None = None) -> str:
    """The scenario TOML text for this traffic."""
    job = fal_job(exchanges)
    if job is None:
        raise HarError(f"{source}: no FAL job in it (no POST to fal.run or queue.fal.run)")
    app_model = _app_model(job, model)
    files = media_files(exchanges)
    video = next((m for m in files if m.url == job.video_url), files[0] if files else None)
    media_host = video.host if video else (urlsplit(job.video_url).hostname if job.video_url else None)
    media_host = media_host if media_host in MEDIA_HOSTS else "v3b.fal.media"
    size = video.size if video else None
    policy = page_policy(exchanges, media_host)
    refused = video.refused if video else []
    coep_refused = [r for r in refused if "BLOCKED_BY_RESPONSE" in r.error]
    csp_refused = [r for r in refused if "csp" in r.error.lower()]
    # A CSP block happens before any request, so a HAR shows it only as a policy without the media host.
    csp_blocks = policy.csp_lists_media is False or bool(csp_refused)
    previewed = bool(video and video.played) or csp_blocks

    out = _header(source, len(exchanges), job, files, name)
    out += ["[scenario]", f"name = {_toml(name)}"]
    out.append(f"title = {_toml(_title(job, media_host, coep_refused, csp_blocks))}")
    out.append(f"report = {_multiline(f'Drafted from {source}; replace with what the user said.')}")
    out += ["", "[environment]", 'profile = "fixed"']
    if policy.csp_lists_media is not None or csp_blocks:
        out.append(f"csp = {_toml('blocks-fal-media' if csp_blocks else 'allows-fal-media')}")
    if policy.coep or coep_refused:
        coep = "require-corp" if (policy.coep == "require-corp" or coep_refused) else "none"
        out.append(f"coep = {_toml(coep)}")
    out.append('storage = "ok"              # not in a HAR: quota-full, blocked, ... if the console says so')
    out += ["", "[fal]", *_model_lines(job, app_model, given=model is not None)]
    out.append(f"media_host = {_toml(media_host)}")
    clip = _clip_for(size)
    if clip is not None and clip[1]:
        out.append(f"file_size = {size}          # the fixture clip of exactly this size: {clip[0]}")
    elif clip is not None:
        out.append(f"clip = {_toml(clip[0])}                # exactly the user's {size:,} bytes")
    else:
        out.append(f"clip = {_toml(DEFAULT_CLIP)}")
        if size is not None:
            out.append(f"# the user's file was {size:,} bytes; no fixture clip has that size")
    if (app_model.mode if app_model else job.mode) == "queue":
        out.append(f"polls_in_queue = {job.polls_in_queue}")
        out.append(f"polls_in_progress = {job.polls_in_progress}")
    for fault in job.faults:
        out += ["", "[[fal.faults]]"] + [f"{key} = {_toml(value)}" for key, value in fault.items()]
    for media in files:
        out += _media_faults(media)
    out += ["", "[[steps]]", 'action = "open_project"', 'project = "main"']
    out += ["", "[[steps]]", 'action = "generate"', f"prompt = {_toml(job.prompt or 'A generated video')}"]
    if previewed:
        out += ["", "[[steps]]", 'action = "preview"']
    out += ["", "[expect]", "listed = true", *(["plays = true"] if previewed else [])]
    out += ["", "[symptom]", *_symptom(job, refused, coep_refused, csp_blocks, previewed)]
    return "\n".join(out) + "\n"


def _header(source: str, requests: int, job: FalJob, files: list[Media], name: str) -> list[str]:
    """The draft's opening comments: the FAL traffic and media the HAR shows, and what it cannot."""
    out = [f"# Drafted by `python -m e2e.repro.har2scenario` from {source} ({requests} requests)."]
    out.append("# The FAL traffic it shows:")
    out += [f"#   {call}" for call in job.calls]
    for media in files:
        sizes = f", {media.size:,} bytes" if media.size is not None else ""
        out.append(f"#   media {media.url} ({len(media.requests)} request(s){sizes})")
        out += [f"#     refused: {r.error}" for r in media.refused]
    out.append("# A HAR does not show storage, projects, filters or what the user saw: edit those below.")
    out.append(f"# Save it as {name}.toml: a scenario's file is named after it.")
    return [*out, ""]


def _app_model(job: FalJob, model: str | None) -> AppModel | None:
    """The app's model: the one named (it must be offered), else the one calling the HAR's endpoint."""
    if model is None:
        return model_for_endpoint(job.endpoint)
    app_model = model_by_id(model)
    if app_model is None:
        offered = ", ".join(f"{m.id} ({m.endpoint})" for m in APP_MODELS)
        raise HarError(f"--model {model!r} is not a model the app offers; allowed: {offered}")
    return app_model


def _model_lines(job: FalJob, app_model: AppModel | None, *, given: bool) -> list[str]:
    """[fal] model, endpoint and mode as the loader wants them (the app's), noting where the HAR differs."""
    if app_model is None:
        return [
            f"model = {_toml(MODEL_PLACEHOLDER)}   # no app model for this endpoint: --model sets it",
            f"endpoint = {_toml(job.endpoint)}",
            f"mode = {_toml(job.mode)}",
        ]
    why = "the model you named" if given else "the app's model for this endpoint; --model overrides it"
    lines = [f"model = {_toml(app_model.id)}   # {why}", f"endpoint = {_toml(app_model.endpoint)}"]
    if app_model.endpoint != job.endpoint:
        lines[-1] += f"   # the user's HAR called {job.endpoint}; the app calls this one for the model"
    mode = app_model.mode or job.mode
    lines.append(f"mode = {_toml(mode)}")
    if mode != job.mode:
        lines[-1] += f"   # the user's HAR shows a {job.mode} call"
    return lines


def _title(job: FalJob, host: str, coep: list[Exchange], csp: bool) -> str:
    what = f"{job.endpoint} ({job.mode})"
    if coep:
        return f"{what}: the preview of {host} media refused by COEP"
    if csp:
        return f"{what}: the preview of {host} media refused by CSP"
    if job.faults:
        return f"{what}: FAL answered {job.faults[0]['status']} at {job.faults[0]['step']}"
    return f"{what}: generated, then missing"


def _media_faults(media: Media) -> list[str]:
    lines = []
    for request in media.requests:
        if request.status >= 400:
            lines += ["", "[[fal.faults]]", 'kind = "status"', f"status = {request.status}", 'step = "media"']
            lines.append(f"host = {_toml(media.host)}")
            lines.append("times = 1")
    return lines


def _symptom(
    job: FalJob, refused: list[Exchange], coep: list[Exchange], csp: bool, previewed: bool
) -> list[str]:
    if coep:
        return ["listed = true", "plays = false", 'blocked_by = "coep"']
    if csp:
        return ["listed = true", "plays = false", 'blocked_by = "csp"']
    if job.faults or refused:
        return ["listed = false"]
    lines = [
        "listed = false   # no failure in the HAR: the cause is off the network (storage, project, filters)"
    ]
    if previewed:
        lines.append("# plays = false")
    return lines


def _scenario_name(har: Path, name: str | None, output: Path | None) -> str:
    """The scenario's name, by the loader's own rule: from --name, the output file, or the HAR's file name."""
    if name is not None:
        problem = name_error(name, output)
        if problem:
            raise HarError(f"--name: {problem}")
        return name
    if output is not None:
        problem = name_error(output.stem, output)
        if problem:
            better = output.with_name(name_from(output.stem) + ".toml")
            raise HarError(f"{output}: the file name is the scenario's name, and {problem}: write {better}")
        return output.stem
    return name_from(har.stem)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m e2e.repro.har2scenario",
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="exit status:\n  0  the scenario was written (or printed)\n"
        "  2  the HAR cannot be read or used, or the name is one the loader refuses (the message says which)"
        "\n\nexample:\n  python -m e2e.repro.har2scenario user.har -o fixtures/scenarios/user_report.toml",
    )
    parser.add_argument("har", type=Path, help="a HAR saved from DevTools (or recorded by Playwright)")
    parser.add_argument(
        "--model", help="the app's model id the user chose (default: the app's model for the FAL endpoint)"
    )
    parser.add_argument(
        "--name", help="the scenario's name (default: from the output's or the HAR's file name)"
    )
    parser.add_argument("-o", "--output", type=Path, help="write the scenario here instead of printing it")
    args = parser.parse_args(argv)
    try:
        name = _scenario_name(args.har, args.name, args.output)
        text = draft(read_har(args.har), source=args.har.name, name=name, model=args.model)
    except HarError as error:
        print(error, file=sys.stderr)
        return 2
    if args.output:
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote {args.output}")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
