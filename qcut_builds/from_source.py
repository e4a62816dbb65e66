"""The real builder: a QCut source tree to `dist/`, as `../shared/qcut/README.md` says it builds here.

bun from its npm package (installed once into the cache's `tools/`), the source extracted or copied to a
scratch folder, the desktop packagers dropped from the root package.json, `bun install --ignore-scripts`,
the fake FAL's key baked in through `apps/web/.env.local`, `vite build`; and the desktop shell's headers
read from `electron/main.ts` when the source has it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import TextIO

from .desktop_shell import DesktopHeadersError, read_headers
from .model import BUN_PACKAGE, DESKTOP_PACKAGERS, NOT_SOURCES, Build, BuildError


def _tail_error(build: Build, step: str, detail: str) -> BuildError:
    return BuildError(build.commit, step, detail, build.log)


def _run(build: Build, step: str, command: list[str], cwd: Path, log: TextIO, env: dict[str, str]) -> None:
    log.write(f"\n$ {' '.join(command)}  (in {cwd})\n")
    log.flush()
    try:
        result = subprocess.run(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, check=False)
    except FileNotFoundError as error:
        raise _tail_error(build, step, f"{command[0]} not found ({error.strerror})") from error
    log.flush()
    if result.returncode != 0:
        raise _tail_error(build, step, f"`{' '.join(command)}` exited with {result.returncode}")


def _ensure_bun(build: Build, log: TextIO, env: dict[str, str]) -> Path:
    """bun from its npm package, installed once into `<cache>/tools` (atomically, like a build)."""
    tools = build.cache / "tools"
    bun = tools / "node_modules" / ".bin" / "bun"
    if bun.is_file():
        return bun
    if shutil.which("npm") is None:
        raise _tail_error(build, "install bun", "npm not found: install Node.js 18+ with npm")
    staging = Path(tempfile.mkdtemp(prefix=".tools-", dir=build.cache))
    try:
        npm = ["npm", "install", "--prefix", str(staging), "--no-audit", "--no-fund", "--loglevel=error"]
        _run(build, "install bun", [*npm, BUN_PACKAGE], staging, log, env)
        if not (staging / "node_modules" / ".bin" / "bun").is_file():
            raise _tail_error(build, "install bun", f"npm installed {BUN_PACKAGE} without a bun binary")
        shutil.rmtree(tools, ignore_errors=True)
        staging.chmod(0o755)
        staging.rename(tools)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return bun


def source_tree(build: Build, scratch: Path) -> Path:
    """The build's source in `scratch`, as the builder gets it; returns the QCut root (the folder with
    package.json and apps/web)."""
    if build.source.kind == "checkout":
        root = scratch / "qcut"
        shutil.copytree(build.source.path, root, ignore=shutil.ignore_patterns(*NOT_SOURCES), symlinks=True)
        return root
    if build.source.kind == "repo":
        return _export_commit(build, scratch / "qcut")
    with tarfile.open(build.source.path) as tar:
        tar.extractall(scratch, filter="data")
    roots = [web.parent.parent for depth in ("", "*/", "*/*/") for web in scratch.glob(f"{depth}apps/web")]
    if len(roots) != 1 or not (roots[0] / "package.json").is_file():
        raise _tail_error(build, "extract", f"{build.source.path} holds no single package.json + apps/web")
    return roots[0]


def _export_commit(build: Build, root: Path) -> Path:
    """The commit's tree from the repository's mirror, as `git archive` gives it (no .git, no history)."""
    root.mkdir(parents=True)
    archive = root.parent / "commit.tar"
    with archive.open("wb") as out:
        exported = subprocess.run(
            ["git", "-C", str(build.source.path), "archive", "--format=tar", build.source.revision],
            stdout=out, stderr=subprocess.PIPE, text=False, check=False,
        )  # fmt: skip
    if exported.returncode != 0:
        raise _tail_error(build, "export the commit", exported.stderr.decode(errors="replace").strip())
    with tarfile.open(archive) as tar:
        tar.extractall(root, filter="data")
    archive.unlink()
    return root


def _drop_desktop_packagers(root: Path) -> None:
    package_json = root / "package.json"
    package = json.loads(package_json.read_text(encoding="utf-8"))
    for section in ("dependencies", "devDependencies"):
        for name in DESKTOP_PACKAGERS:
            package.get(section, {}).pop(name, None)
    package_json.write_text(json.dumps(package, indent=2) + "\n", encoding="utf-8")


def _vite(root: Path) -> Path:
    for bin_dir in (root / "apps" / "web" / "node_modules" / ".bin", root / "node_modules" / ".bin"):
        if (bin_dir / "vite").exists():
            return bin_dir / "vite"
    return root / "apps" / "web" / "node_modules" / ".bin" / "vite"


def build_from_source(build: Build, out: Path, log: TextIO) -> None:
    """The steps of `../shared/qcut/README.md`: bun install without the desktop packagers, then vite build."""
    # Here, not at the top: importing the fake's server costs half a second that a cache hit should not pay.
    from fake_fal.server import DEFAULT_KEY

    env = dict(os.environ)
    env["BUN_INSTALL_CACHE_DIR"] = str(build.cache / "tools" / "bun-cache")
    env["DO_NOT_TRACK"] = "1"
    bun = _ensure_bun(build, log, env)
    env["PATH"] = os.pathsep.join([str(bun.parent), env.get("PATH", "")])
    scratch = Path(tempfile.mkdtemp(prefix=f".scratch-{build.commit}-", dir=build.cache))
    try:
        root = source_tree(build, scratch)
        _drop_desktop_packagers(root)
        _run(build, "bun install", [str(bun), "install", "--ignore-scripts"], root, log, env)
        web = root / "apps" / "web"
        (web / ".env.local").write_text(f"VITE_FAL_API_KEY={DEFAULT_KEY}\n", encoding="utf-8")
        # `bun run build` runs tsc before the router plugin generates the route tree: vite alone.
        _run(build, "vite build", [str(_vite(root)), "build"], web, log, env)
        shutil.move(web / "dist", out / "dist")
        main_ts = root / "electron" / "main.ts"
        if main_ts.is_file():
            try:
                headers = read_headers(main_ts)
            except DesktopHeadersError as error:
                log.write(f"\nno desktop headers: {error}\n")
            else:
                record = json.dumps(
                    {"source": f"{build.commit}:electron/main.ts", "headers": headers}, indent=2
                )
                (out / "desktop-headers.json").write_text(record + "\n", encoding="utf-8")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
