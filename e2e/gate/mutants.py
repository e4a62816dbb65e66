"""Slips nobody has made yet: small changes to the reference app, each changing what a user sees, run
against the suite to learn whether it would catch them.

The legacy switches bring back the original's bugs; a mutant is a regression a future change could bring
in (a toast's words, a badge, a count, a control, an order). Each runs the whole suite, stopping at its
first failure, against a copy of the app with the one change (a page's slip through `--app-dir`, a server's
through the plugin `e2e.gate.changed_app`): caught (and by which test), or missed. A few are known misses,
each saying why no test can see it. `make mutants` runs them all (minutes each: a catch stops the run early,
a miss runs the whole suite); it exits 1 when a mutant is missed that is not a known miss.

    python -m e2e.gate.mutants                     # every mutant
    python -m e2e.gate.mutants hint-plural -n 2    # one, on two workers
    python -m e2e.gate.mutants csp-scripts-inline --tests e2e/test_csp_policy.py  # one, on some tests only
"""

from __future__ import annotations

import argparse
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from e2e.gate import changed_app
from e2e.gate.runs import EVERY_TEST, GATE_REPORTS, GateRun, run_suite
from media_app.server import STATIC_DIR

PACKAGE_DIR = STATIC_DIR.parent


@dataclass(frozen=True)
class Mutant:
    """One slip: in `file` (under media_app/), `old` becomes `new`; `shows` what a user sees.

    A slip under `static/` is in the pages; any other is in the server (its CSP, headers, profiles).
    """

    name: str
    file: str
    old: str
    new: str
    shows: str
    missed_because: str = ""  # a known miss: why no test can see it

    @property
    def in_pages(self) -> bool:
        return self.file.startswith("static/")

    def apply(self, folder: Path) -> Path:
        """A copy of the app's package under `folder` with this slip; ValueError when `old` is not (once) in
        `file`."""
        copy = folder / self.name / PACKAGE_DIR.name
        shutil.rmtree(copy.parent, ignore_errors=True)
        shutil.copytree(PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("tests", "__pycache__"))
        path = copy / self.file
        text = path.read_text(encoding="utf-8")
        if text.count(self.old) != 1:
            raise ValueError(
                f"mutant {self.name!r}: {self.file} holds its text {text.count(self.old)} times, not once: "
                f"{self.old!r} (the app changed: update the mutant)"
            )
        path.write_text(text.replace(self.old, self.new), encoding="utf-8")
        return copy

    def suite_options(self, copy: Path) -> tuple[list[str], dict[str, str]]:
        """The pytest options and environment that run the suite against `copy` (from `apply`)."""
        if self.in_pages:
            return ["--app-dir", str(copy / "static")], {}
        return ["-p", "e2e.gate.changed_app"], {changed_app.PACKAGE_ENV: str(copy.parent)}


MUTANTS = (
    Mutant(
        "hint-plural",
        "static/js/views/media-view.js",
        "hiddenNew.length === 1",
        "hiddenNew.length === 2",
        "the hint says '1 new items are hidden'",
    ),
    Mutant(
        "added-toast-description",
        "static/js/stores/ai-generation-store.js",
        "            : mediaItem.name,",
        "            : prompt,",
        "'Video added' names the prompt, not the video",
    ),
    Mutant(
        "retry-keeps-the-badge",
        "static/js/stores/media-store.js",
        "      updateItem(id, (media) => ({ ...media, metadata: withoutFlags(media.metadata) }));\n"
        '      console.log("[MediaStore.retrySaveMediaItem]',
        '      console.log("[MediaStore.retrySaveMediaItem]',
        "a saved item still badged Unsaved, with Retry",
    ),
    Mutant(
        "delete-keeps-storage",
        "static/js/stores/media-store.js",
        "        await storageService.deleteMediaItem(projectId, id);",
        "        void projectId;",
        "a deleted video back after a reload",
    ),
    Mutant(
        "unsaved-toast-kind",
        "static/js/stores/media-store.js",
        "    toast.warning(UNSAVED_TOAST, {",
        "    toast.info(UNSAVED_TOAST, {",
        "a failed save told as mere information",
    ),
    Mutant(
        "queued-percent",
        "static/js/stores/ai-generation-store.js",
        "Math.min(90, Math.round(20 + 2 * elapsed))",
        "Math.min(95, Math.round(20 + 2 * elapsed))",
        "a queued run's progress past 90 % before FAL is done",
    ),
    Mutant(
        "search-untrimmed",
        "static/js/stores/media-panel-store.js",
        "searchQuery.trim().toLowerCase()",
        "searchQuery.toLowerCase()",
        "a search with a space after the word finds nothing",
    ),
    Mutant(
        "projects-oldest-first",
        "static/js/lib/storage/storage-service.js",
        "String(b.updatedAt).localeCompare(String(a.updatedAt))",
        "String(a.updatedAt).localeCompare(String(b.updatedAt))",
        "the projects page lists the oldest project first",
    ),
    Mutant(
        "no-pause-while-playing",
        "static/js/views/preview-panel.js",
        "    play.hidden = true;\n    pause.hidden = false;",
        "    play.hidden = true;",
        "a playing preview offers neither Play nor Pause",
    ),
    Mutant(
        "url-only-badge-missing",
        "static/js/views/media-item-card.js",
        'metadata.urlOnly ? h("span", { className: "badge info"',
        'metadata.urlOnly && !metadata.unsaved ? h("span", { className: "badge info"',
        "a URL-only item without its URL only badge",
    ),
    Mutant(
        "save-locally-toast",
        "static/js/stores/media-store.js",
        'toast.success("Saved locally", { description: item.name });',
        'toast.success("Saved", { description: item.name });',
        "Save locally's toast no longer says where the video went",
    ),
    Mutant(
        "counter-off-by-one",
        "static/js/views/ai-view.js",
        "`${MAX_PROMPT_LENGTH - state.prompt.length} characters remaining`",
        "`${MAX_PROMPT_LENGTH - state.prompt.length - 1} characters remaining`",
        "the prompt's counter one short",
    ),
    Mutant(
        "clock-runs-after-done",
        "static/js/stores/ai-generation-store.js",
        '        stopClock();\n        set({\n          generationState: "done",',
        '        set({\n          generationState: "done",',
        "a finished run's Elapsed keeps counting",
    ),
    Mutant(
        "results-replaced",
        "static/js/stores/ai-generation-store.js",
        "          generatedVideos: [...get().generatedVideos, ...generations],",
        "          generatedVideos: generations,",
        "'Generated Videos' forgets the runs before",
    ),
    Mutant(
        "first-model-only",
        "static/js/stores/ai-generation-store.js",
        "          await integrate(response, model, project, prompt);\n",
        "          await integrate(response, model, project, prompt);\n          break;\n",
        "one click with two models makes one video",
    ),
    Mutant(
        "keep-selection-across-projects",
        "static/js/views/editor-page.js",
        "  useMediaPanelStore.getState().selectMedia(null);\n",
        "",
        "another project opens with the last project's video in its preview",
    ),
    Mutant(
        "no-cant-play-badge",
        "static/js/views/media-item-card.js",
        "    metadata.playbackError\n      ? h(",
        "    metadata.playbackError && !metadata.corrupt\n      ? h(",
        "a video no browser decodes without its Can't play badge",
    ),
    Mutant(
        "download-from-any-host",
        "static/js/lib/download.js",
        "  if (!FAL_MEDIA_HOSTS.includes(parsed.hostname)) {",
        "  if (!parsed.hostname) {",
        "a result on a host that is not FAL's fetched, and failing as a network error",
    ),
    Mutant(
        "success-toast-short",
        "static/js/lib/toast.js",
        "{ success: 4000,",
        "{ success: 1500,",
        "a success toast gone before it can be read",
    ),
    Mutant(
        "toast-ignores-the-pointer",
        "static/js/lib/toast.js",
        '  item.addEventListener("mouseenter", () => clearTimeout(timer));\n',
        "",
        "a toast vanishing under the pointer while it is read",
    ),
    Mutant(
        "error-toast-without-its-id",
        "static/js/lib/error-handler.js",
        "description: `${context.operation} (${errorId})`,",
        "description: context.operation,",
        "a failure's toast with no error id to quote",
    ),
    Mutant(
        "one-status-check-fewer",
        "static/js/lib/fal-client.js",
        "attempt < QUEUE_MAX_ATTEMPTS;",
        "attempt < QUEUE_MAX_ATTEMPTS - 1;",
        "a queued run given up one status check early",
    ),
    Mutant(
        "fal-key-untrimmed",
        "static/js/views/settings-page.js",
        "setFalApiKey(input.value.trim())",
        "setFalApiKey(input.value)",
        "a key pasted with a space refused by FAL as invalid",
    ),
    Mutant(
        "no-fal-key-sent-anyway",
        "static/js/lib/fal-client.js",
        '  if (!key) throw new FalApiError("FAL API key is not configured. Add it in Settings.");\n',
        "",
        "with no key, FAL's 'Invalid API key' instead of where to add one",
    ),
    Mutant(
        "key-kept-for-the-visit-said-stored",
        "static/js/views/settings-page.js",
        'description: persisted ? "Stored in this browser." : ',
        'description: true ? "Stored in this browser." : ',
        "a key said stored in the browser that is gone after the visit",
    ),
    Mutant(
        "image-filter-shows-videos",
        "static/js/stores/media-panel-store.js",
        '(mediaFilter === "all" || item.type === mediaFilter)',
        '(mediaFilter === "all" || item.type === mediaFilter || item.type === "video")',
        "the Image filter listing videos too",
    ),
    Mutant(
        "upload-counts-every-file",
        "static/js/views/media-view.js",
        "toast.success(`Successfully uploaded ${added} file(s)`)",
        "toast.success(`Successfully uploaded ${files.length} file(s)`)",
        "a file the import refused counted as uploaded",
    ),
    Mutant(
        "save-locally-fails-silently",
        "static/js/stores/media-store.js",
        '        toast.error("Could not download the video again", { description: errorMessage(error) });\n',
        "",
        "Save locally doing nothing, without a word, when the video cannot be had again",
    ),
    Mutant(
        "chosen-card-unmarked",
        "static/js/views/media-item-card.js",
        '"aria-pressed": selected ? "true" : "false",',
        '"aria-pressed": "false",',
        "no card marked as the one in the preview",
    ),
    Mutant(
        "prompt-editable-while-running",
        "static/js/views/ai-view.js",
        "    prompt.disabled = running;\n",
        "",
        "the prompt of a run under way open to typing, as if a change would alter the run",
    ),
    Mutant(
        "models-locked-after-a-run",
        "static/js/views/ai-view.js",
        "box.disabled = running;",
        'box.disabled = running || state.generationState === "done";',
        "the model boxes greyed out once a run is done",
    ),
    Mutant(
        "every-model-said-direct",
        "static/js/views/ai-view.js",
        'model.mode === "queue" ? "queue" : "direct"',
        '"direct"',
        "a queued model said to run direct",
    ),
    Mutant(
        "toast-message-limit-off-by-one",
        "static/js/lib/error-handler.js",
        "message.length < 100",
        "message.length < 99",
        "a 99-character message replaced by 'An unexpected error occurred' in its toast",
    ),
    Mutant(
        "warnings-retry-does-nothing",
        "static/js/stores/media-store.js",
        '{ label: "Retry", onClick: () => get().retrySaveMediaItem(item.id) }',
        '{ label: "Retry", onClick: () => {} }',
        "the unsaved warning's Retry closing the warning and saving nothing",
    ),
    Mutant(
        "warnings-save-locally-retries",
        "static/js/stores/media-store.js",
        'action: { label: "Save locally", onClick: () => get().saveMediaItemLocally(item.id) },',
        'action: { label: "Save locally", onClick: () => get().retrySaveMediaItem(item.id) },',
        "the URL-only warning's Save locally storing an empty file instead of the video",
    ),
    Mutant(
        "label-without-its-end",
        "static/js/lib/utils.js",
        "`${name.slice(0, 16)}...${name.slice(-3)}`",
        "`${name.slice(0, 16)}...`",
        "a card's label without the end of its name (its file type)",
    ),
    Mutant(
        "project-named-by-count",
        "static/js/stores/project-store.js",
        "    let n = 2;\n    while (names.has(`${DEFAULT_NAME} ${n}`)) n++;\n",
        "    const n = names.size + 1;\n",
        "two projects with the same name once one before them was deleted",
    ),
    Mutant(
        "progress-after-a-failure",
        "static/js/views/ai-view.js",
        'state.generationState !== "done";',
        'state.generationState !== "error";',
        "a failed run still shows 'Generating...' and its progress; a finished one hides its success line",
    ),
    Mutant(
        "error-toast-short",
        "static/js/lib/toast.js",
        "warning: 8000, error: 8000",
        "warning: 8000, error: 4000",
        "an error toast gone after 4 s, before it can be read",
    ),
    Mutant(
        "oldest-toast-first",
        "static/js/lib/toast.js",
        "list.prepend(item);",
        "list.append(item);",
        "a new toast behind the ones already up",
    ),
    Mutant(
        "search-case-sensitive",
        "static/js/stores/media-panel-store.js",
        "item.name.toLowerCase().includes(query)",
        "item.name.includes(query)",
        "a search typed in small letters misses a name with capitals",
    ),
    Mutant(
        "reload-newest-first",
        "static/js/lib/storage/storage-service.js",
        "(a.addedAt ?? 0) - (b.addedAt ?? 0)",
        "(b.addedAt ?? 0) - (a.addedAt ?? 0)",
        "after a reload the items in reverse order",
    ),
    Mutant(
        "stylesheet-not-found",
        "static/index.html",
        'href="/css/app.css"',
        'href="/css/style.css"',
        "the editor unstyled: the page links a stylesheet the server does not have",
    ),
    Mutant(
        "switcher-shows-another-project",
        "static/js/views/editor-page.js",
        "    switcher.value = projectId;\n",
        "",
        "the project switcher names the first project, not the one open",
    ),
    Mutant(
        "failed-click-forgets-its-videos",
        "static/js/stores/ai-generation-store.js",
        "statusMessage: message, generatedVideos: [...get().generatedVideos, ...generations] });",
        "statusMessage: message });",
        "'Generated Videos' forgets the video a click's first model made when its second fails",
    ),
    Mutant(
        "only-500-ridden-out",
        "static/js/lib/fal-client.js",
        "error.status >= 500",
        "error.status === 500",
        "a queued run lost to one 503 at a status poll, which FAL's own client rides out",
    ),
    Mutant(
        "download-one-byte-short-kept",
        "static/js/lib/download.js",
        "blob.size < expected",
        "blob.size + 1 < expected",
        "a video one byte short of what FAL declared listed as whole",
    ),
    Mutant(
        "unsaved-video-said-added",
        "static/js/stores/ai-generation-store.js",
        "if (!unsaved) toast.success",
        "toast.success",
        "'Video added' beside the warning that its save failed",
    ),
    Mutant(
        "retry-said-saved-before-saving",
        "static/js/stores/media-store.js",
        "      const saved = { ...item, metadata: withoutFlags(item.metadata) };\n",
        "      const saved = { ...item, metadata: withoutFlags(item.metadata) };\n"
        '      toast.success("Saved to storage", { description: item.name });\n',
        "'Saved to storage' on a Retry that then fails",
    ),
    Mutant(
        "deleted-url-only-video-back-after-reload",
        "static/js/lib/storage/storage-service.js",
        "    await mediaMetadataAdapter.remove(id);\n    try {\n      await mediaFilesAdapter.remove(id);\n",
        "    try {\n      await mediaFilesAdapter.remove(id);\n"
        "      await mediaMetadataAdapter.remove(id);\n",
        "with OPFS blocked, a deleted URL-only video back after a reload (the file's removal fails first)",
    ),
    Mutant(
        "deleted-url-only-video-kept-in-local-storage",
        "static/js/lib/storage/storage-service.js",
        "    urlOnlyFallback.remove(projectId, id);\n    await mediaMetadataAdapter.remove(id);",
        "    await mediaMetadataAdapter.remove(id);",
        "with IndexedDB blocked, a deleted URL-only video back after a reload",
    ),
    Mutant(
        "memory-only-project-dropped",
        "static/js/stores/project-store.js",
        "set({ projects: [...stored, ...memoryOnly], storageAvailable: true });",
        "set({ projects: stored, storageAvailable: true });",
        "a project storage refused gone from the projects page, though kept for the visit",
    ),
    Mutant(
        "settings-forgets-the-key-shown",
        "static/js/views/settings-page.js",
        "    value: getFalApiKey(),\n",
        "",
        "Settings shows an empty key field though a key is saved",
    ),
    Mutant(
        "card-action-chooses-the-card",
        "static/js/views/media-item-card.js",
        "    event.stopPropagation();\n",
        "",
        "Retry, Save locally or Delete also put the item in the preview",
    ),
    Mutant(
        "network-error-at-a-poll-ends-the-run",
        "static/js/lib/fal-client.js",
        "error.status === 0 || error.status >= 500",
        "error.status >= 500",
        "a queued run lost to one dropped connection at a status poll",
    ),
    Mutant(
        "validation-errors-run-together",
        "static/js/lib/fal-client.js",
        '.join("; ")',
        '.join(", ")',
        "FAL's validation errors run together, one unreadable from the next",
    ),
    Mutant(
        "bytes-refused-as-no-video",
        "static/js/lib/download.js",
        "^(video\\/|application\\/octet-stream|binary\\/octet-stream)",
        "^(video\\/)",
        "a video a CDN sends as plain bytes refused as no video",
    ),
    Mutant(
        "saved-to-storage-without-its-name",
        "static/js/stores/media-store.js",
        'toast.success("Saved to storage", { description: item.name });',
        'toast.success("Saved to storage");',
        "'Saved to storage' without saying which video",
    ),
    Mutant(
        "image-left-over-the-video",
        "static/js/views/preview-panel.js",
        "    image.hidden = true;\n    video.hidden = false;",
        "    video.hidden = false;",
        "the image previewed before stays on screen over the video chosen next",
    ),
    Mutant(
        "fal-asked-without-the-models-settings",
        "static/js/lib/fal-client.js",
        "  const result = await falRequest(`${FAL_RUN_URL}/${model.endpoint}`, {\n"
        '    method: "POST",\n    body: { prompt, ...model.defaults },',
        "  const result = await falRequest(`${FAL_RUN_URL}/${model.endpoint}`, {\n"
        '    method: "POST",\n    body: { prompt },',
        "a video made at FAL's defaults, not at the resolution and shape the model's card names",
    ),
    Mutant(
        "elapsed-carried-into-the-next-run",
        "static/js/stores/ai-generation-store.js",
        "set({ error, startedAt: Date.now(), elapsedSeconds: 0, projectId: project.id });",
        "set({ error, startedAt: Date.now(), projectId: project.id });",
        "a new run starts with the last run's Elapsed",
    ),
    Mutant(
        "duration-forgotten-after-reload",
        "static/js/lib/storage/storage-service.js",
        "      duration: item.duration,\n",
        "",
        "after a reload the cards without their videos' lengths",
    ),
    Mutant(
        "loading-shown-once-loaded",
        "static/js/views/media-view.js",
        "loading.hidden = !isLoading;",
        "loading.hidden = isLoading;",
        "'Loading media...' under a project long loaded",
    ),
    Mutant(
        "unplayable-toast-without-its-reason",
        "static/js/stores/ai-generation-store.js",
        'toast.warning("The generated video can\'t be played", { description: playbackError });',
        'toast.warning("The generated video can\'t be played");',
        "a video that cannot be played, without a word of why",
    ),
    Mutant(
        "refused-file-without-why",
        "static/js/views/media-view.js",
        '"Failed to process files", { description: "No image, video or audio file was chosen." }',
        '"Failed to process files"',
        "a refused file, without a word of what the app takes",
    ),
    Mutant(
        "sound-card-says-video",
        "static/js/views/media-item-card.js",
        'const label = item.type === "audio" ? "Audio" : "Video";',
        'const label = "Video";',
        "a sound's card labelled Video",
    ),
    Mutant(
        "image-card-without-its-image",
        "static/js/views/media-item-card.js",
        'if (item.type === "image" && item.url)',
        'if (item.type === "images" && item.url)',
        "an image's card with a placeholder where the image should be",
    ),
    Mutant(
        "unsaved-warning-without-the-name",
        "static/js/stores/media-store.js",
        "    toast.warning(UNSAVED_TOAST, {\n      description: item.name,\n",
        "    toast.warning(UNSAVED_TOAST, {\n",
        "a storage warning that does not say which video is unsaved",
    ),
    Mutant(
        "unreachable-fal-in-other-words",
        "static/js/lib/fal-client.js",
        "Could not reach FAL: ${error.message}",
        "Network error: ${error.message}",
        "an unreachable FAL told as a bare network error",
    ),
    Mutant(
        "project-without-its-date",
        "static/js/views/projects-page.js",
        "new Date(project.createdAt).toLocaleString()",
        '""',
        "the projects page without the day each project was made",
    ),
    Mutant(
        "storage-notice-never-shown",
        "static/js/views/projects-page.js",
        "notice.hidden = storageAvailable;",
        "notice.hidden = true;",
        "no word that projects last for this visit only when storage is blocked",
    ),
    Mutant(
        "project-delete-button-unnamed",
        "static/js/views/projects-page.js",
        '"aria-label": `Delete ${project.name}`',
        '"aria-label": "Delete"',
        "every project's Delete button named alike",
    ),
    Mutant(
        "fourth-project-named-like-the-third",
        "static/js/stores/project-store.js",
        "while (names.has(`${DEFAULT_NAME} ${n}`)) n++;",
        "if (names.has(`${DEFAULT_NAME} ${n}`)) n++;",
        "a fourth new project named like the third",
    ),
    Mutant(
        "missing-project-in-other-words",
        "static/js/views/editor-page.js",
        'name.textContent = "Project not found";',
        'name.textContent = "Error";',
        "a project that is not there told as a bare Error",
    ),
    Mutant(
        "preview-title-kept-after-delete",
        "static/js/views/preview-panel.js",
        'title.textContent = item ? item.name : "Select a media item to preview";',
        "if (item) title.textContent = item.name;",
        "the preview still naming a video just deleted",
    ),
    Mutant(
        "chosen-card-not-pressed",
        "static/js/views/media-item-card.js",
        '"aria-pressed": selected ? "true" : "false"',
        '"aria-pressed": "false"',
        "no card says it is the one in the preview (to a screen reader)",
    ),
    Mutant(
        "cant-play-badge-without-why",
        "static/js/views/media-item-card.js",
        '"data-testid": "playback-error-badge", title: metadata.playbackError',
        '"data-testid": "playback-error-badge"',
        "a Can't play badge whose tooltip does not say why",
    ),
    Mutant(
        "url-only-videos-shared-by-every-project",
        "static/js/lib/storage/url-only-fallback.js",
        "`video-editor-url-only-media-${projectId}`",
        '"video-editor-url-only-media"',
        "a URL-only video showing in every project while IndexedDB is blocked",
    ),
    Mutant(
        "price-without-its-dollar",
        "static/js/views/ai-view.js",
        "`$${model.price} · ",
        "`${model.price} · ",
        "a model's price without its currency",
    ),
    Mutant(
        "sound-alone-taken-for-a-video",
        "static/js/lib/media-probe.js",
        "if (!info.width || !info.height) reject(",
        "if (false) reject(",
        "a file with sound and no picture listed as a good video",
    ),
    Mutant(
        "length-cut-not-rounded",
        "static/js/lib/utils.js",
        "Math.round(seconds)",
        "Math.floor(seconds)",
        "a 2.6 s video shown as 0:02",
    ),
    Mutant(
        "error-toast-not-announced-at-once",
        "static/js/lib/toast.js",
        'role: type === "error" ? "alert" : "status"',
        'role: "status"',
        "an error toast a screen reader reads only when it has finished the rest",
    ),
    Mutant(
        "toast-close-button-unnamed",
        "static/js/lib/toast.js",
        '"aria-label": "Close toast", ',
        "",
        "a toast's close button with no name but its sign",
    ),
    Mutant(
        "failed-download-told-as-a-warning",
        "static/js/stores/ai-generation-store.js",
        "category: ErrorCategory.NETWORK,\n            severity: ErrorSeverity.HIGH,",
        "category: ErrorCategory.NETWORK,\n            severity: ErrorSeverity.MEDIUM,",
        "a download that failed told in a warning's colours",
    ),
    Mutant(
        "unsaved-video-jumps-the-queue",
        "static/js/stores/media-store.js",
        "mediaItems = [...loaded, ...extra];",
        "mediaItems = [...extra, ...loaded];",
        "an unsaved video listed before older ones once its project reopens",
    ),
    Mutant(
        "deleted-video-back-after-a-switch",
        "static/js/stores/media-store.js",
        "      const item = findItem(id);\n      sessionItems.delete(id);\n",
        "      const item = findItem(id);\n",
        "a video deleted in this visit back when its project reopens",
    ),
    Mutant(
        "failed-retry-keeps-the-old-reason",
        "static/js/stores/media-store.js",
        (
            "        updateItem(id, (media) => "
            "({ ...media, metadata: { ...media.metadata, storageError: errorMessage(error) } }));\n"
        ),
        "",
        "a Retry that failed for a new reason, its badge still giving the old one",
    ),
    Mutant(
        "clock-runs-after-error",
        "static/js/stores/ai-generation-store.js",
        "      } catch (error) {\n        stopClock();",
        "      } catch (error) {",
        "nothing: the progress box, and its Elapsed, hide when a run fails",
        missed_because="invisible: the progress box (and its Elapsed) hides when a run fails",
    ),
    Mutant(
        "empty-state-while-loading",
        "static/js/views/media-view.js",
        "empty.hidden = isLoading || visible.length > 0;",
        "empty.hidden = visible.length > 0;",
        "the empty state flashes while a project's media loads",
        missed_because="a flash of milliseconds while storage answers: no state a test can hold still",
    ),
    Mutant(
        "preview-reloads-on-every-change",
        "static/js/views/preview-panel.js",
        "    if (current.id === item?.id && current.src === source?.src) return;\n",
        "",
        "a paused preview starting over whenever another video arrives",
    ),
    Mutant(
        "remote-before-blob",
        "static/js/lib/media-source.js",
        "  if (REMOTE_PREVIEW && remote) return",
        "  if (remote) return",
        "a stored video previewed from the FAL URL, not its own file",
    ),
    Mutant(
        "empty-file-gets-a-blob",
        "static/js/lib/media-source.js",
        "item.file.size > 0",
        "item.file.size >= 0",
        "a URL-only video that will not play",
    ),
    Mutant(
        "queue-gives-up-after-12s",
        "static/js/config.js",
        "QUEUE_MAX_ATTEMPTS = 240",
        "QUEUE_MAX_ATTEMPTS = 24",
        "a queued run given up after 12 s",
    ),
    Mutant(
        "queue-polls-every-2s",
        "static/js/config.js",
        "QUEUE_POLL_INTERVAL_MS = 500",
        "QUEUE_POLL_INTERVAL_MS = 2000",
        "a queued run's progress moving every 2 s",
    ),
    Mutant(
        "cleared-key-falls-back-to-preset",
        "static/js/config.js",
        "if (saved !== null) return saved;",
        "if (saved) return saved;",
        "a FAL key cleared in Settings back after a reload",
    ),
    Mutant(
        "badge-switches-run-together",
        "static/js/main.js",
        '[...BUGS].join(", ")',
        '[...BUGS].join(",")',
        "the profile badge running its switches together",
    ),
    Mutant(
        "app-busy-forever",
        "static/js/main.js",
        '  app.removeAttribute("aria-busy");\n',
        "",
        "a page a screen reader calls busy for ever",
    ),
    Mutant(
        "opfs-file-never-closed",
        "static/js/lib/storage/opfs-adapter.js",
        "      await writable.write(file);\n      await writable.close();",
        "      await writable.write(file);",
        "a saved video gone after a reload",
    ),
    Mutant(
        "idb-remove-is-a-get",
        "static/js/lib/storage/indexeddb-adapter.js",
        "(store) => store.delete(key)",
        "(store) => store.get(key)",
        "a deleted URL-only video back after a reload",
    ),
    Mutant(
        "class-names-dropped",
        "static/js/lib/dom.js",
        "      element.className = value;",
        '      element.setAttribute("classname", value);',
        "an unstyled editor: no chosen card framed",
    ),
    Mutant(
        "error-toast-not-red",
        "static/css/app.css",
        '[data-sonner-toast][data-type="error"] { border-left-color: var(--error); }\n',
        "",
        "an error toast edged like any other",
    ),
    Mutant(
        "text-as-markup",
        "static/js/lib/dom.js",
        "element.append(child instanceof Node ? child : document.createTextNode(String(child)));",
        (
            "if (child instanceof Node) element.append(child);"
            ' else element.insertAdjacentHTML("beforeend", String(child));'
        ),
        "markup typed in a prompt made part of the page",
    ),
    Mutant(
        "listeners-never-leave",
        "static/js/lib/create-store.js",
        "    return () => listeners.delete(listener);",
        "    return () => {};",
        "a left view still answering the stores: toasts and cards twice",
    ),
    Mutant(
        "hidden-shown",
        "static/css/app.css",
        "[hidden] { display: none !important; }\n",
        "",
        "every hidden box shown at once: hints, badges, errors",
    ),
    Mutant(
        "prompt-limit-500",
        "static/js/lib/ai-models.js",
        "MAX_PROMPT_LENGTH = 5000",
        "MAX_PROMPT_LENGTH = 500",
        "a prompt cut at 500 characters",
    ),
    Mutant(
        "toasts-at-the-top-left",
        "static/css/app.css",
        ".toaster-region { position: fixed; right: 16px; bottom: 16px;",
        ".toaster-region { position: fixed; left: 16px; top: 16px;",
        "toasts over the editor's top-left corner",
    ),
    Mutant(
        "page-title-lost",
        "static/index.html",
        "<title>QCut</title>",
        "<title></title>",
        "a browser tab with no name",
    ),
    Mutant(
        "nav-unnamed",
        "static/index.html",
        '<nav aria-label="Main">',
        "<nav>",
        "the header's links an unnamed navigation to a screen reader",
    ),
    Mutant(
        "toaster-unnamed",
        "static/index.html",
        'aria-label="Notifications alt+T" ',
        "",
        "the toasts' region unnamed to a screen reader",
    ),
    Mutant(
        "search-box-kept-after-clear",
        "static/js/views/media-view.js",
        "    if (search.value !== searchQuery) search.value = searchQuery;\n",
        "",
        "Clear filters leaving the search's words in its box",
    ),
    Mutant(
        "filter-select-kept-after-clear",
        "static/js/views/media-view.js",
        "    if (filter.value !== mediaFilter) filter.value = mediaFilter;\n",
        "",
        "Clear filters leaving the type filter on Video",
    ),
    Mutant(
        "results-cut-at-30",
        "static/js/views/ai-view.js",
        "video.prompt.substring(0, 40)",
        "video.prompt.substring(0, 30)",
        "'Generated Videos' cutting each prompt at 30 characters",
    ),
    Mutant(
        "results-name-model-ids",
        "static/js/views/ai-view.js",
        "getModel(video.model)?.name ?? video.model",
        "video.model",
        "'Generated Videos' naming models by their ids",
    ),
    Mutant(
        "progress-bar-stuck",
        "static/js/views/ai-view.js",
        "    bar.value = state.progress;\n",
        "",
        "a progress bar standing at 0 while the percentage climbs",
    ),
    # The server: the policy it sends, its headers, the page it renders, the profiles it serves.
    Mutant(
        "csp-scripts-inline",
        "csp.py",
        '"script-src": ["\'self\'"],',
        '"script-src": ["\'self\'", "\'unsafe-inline\'"],',
        "nothing at once: an injected inline script would run",
    ),
    Mutant(
        "csp-media-any-https",
        "csp.py",
        "        media += FAL_MEDIA_HOSTS",
        '        media += ["https:"]',
        "nothing at once: a video from any host would play",
    ),
    Mutant(
        "csp-connect-drops-the-queue",
        "csp.py",
        '    "https://queue.fal.run",\n',
        "",
        "a queued model's run refused by CSP: 'Generation failed'",
    ),
    Mutant(
        "csp-drops-a-cdn-host",
        "csp.py",
        ', "https://v3b.fal.media")',
        ")",
        "a video on v3b.fal.media never downloaded",
    ),
    Mutant(
        "csp-images-from-fal-refused",
        "csp.py",
        '"img-src": ["\'self\'", "blob:", "data:", *FAL_MEDIA_HOSTS],',
        '"img-src": ["\'self\'", "blob:", "data:"],',
        "a FAL image or thumbnail refused by CSP",
    ),
    Mutant(
        "csp-workers-from-blobs-refused",
        "csp.py",
        '"worker-src": ["\'self\'", "blob:"],',
        '"worker-src": ["\'self\'"],',
        "nothing: a worker built from a blob would be refused by CSP",
        missed_because="invisible: the app starts no worker",
    ),
    Mutant(
        "meta-policy-left-out",
        "server.py",
        '        "csp": csp.meta_policy(profile),',
        '        "csp": "",',
        "nothing while the header is sent: the page has no policy when served without it (Electron's file://)",
    ),
    Mutant(
        "coep-on-the-fixed-app",
        "server.py",
        '        if profile.has("coep-require-corp"):',
        '        if not profile.has("coep-require-corp"):',
        "the fixed app's FAL video blocked by COEP; the legacy one's not",
    ),
    Mutant(
        "coep-reports-sent-nowhere",
        "server.py",
        "            endpoints.append(f'{COEP_REPORT_GROUP}=\"{self.origin}{COEP_REPORT_PATH}\"')",
        "",
        "nothing in the page: a COEP block leaves no report to say why",
    ),
    Mutant(
        "csp-reports-sent-nowhere",
        "server.py",
        '        response.headers["Reporting-Endpoints"] = ", ".join(endpoints)',
        "",
        "nothing in the page: a CSP block leaves no report to say why",
    ),
    Mutant(
        "csp-report-uri-dropped",
        "csp.py",
        '    parts["report-uri"] = [REPORT_PATH]\n',
        "",
        "nothing in the page: a browser without the Reporting API reports no CSP block",
    ),
    Mutant(
        "any-few-switches-named-legacy",
        "profiles.py",
        "            if bugs == profile_bugs:",
        "            if bugs <= profile_bugs:",
        "a page with one bug back on badged as the whole legacy app",
    ),
    Mutant(
        "fal-key-not-filled-in",
        "server.py",
        '        "fal_key": fal_key,',
        '        "fal_key": "",',
        "the AI panel asking for a FAL key the server holds",
    ),
    Mutant(
        "page-bugs-ignored",
        "profiles.py",
        '        return Profile.from_bugs(base | parse_bugs(query.get("bugs")))',
        "        return Profile.from_bugs(base)",
        "a page asked for with ?bugs= served without them",
    ),
    Mutant(
        "page-profile-ignored",
        "profiles.py",
        '        base = parse_profile_name(query["profile"]) if query.get("profile") else self.bugs',
        "        base = self.bugs",
        "a page asked for with ?profile= served with the server's own",
    ),
    Mutant(
        "unknown-switch-served-as-fixed",
        "profiles.py",
        "    if unknown:\n        raise ProfileError",
        "    if False:\n        raise ProfileError",
        "a page asked for with a misspelt switch served as if none was asked for",
    ),
    Mutant(
        "project-per-model",
        "static/js/stores/ai-generation-store.js",
        "        for (const modelId of selectedModels) {\n          model = getModel(modelId);",
        "        for (const modelId of selectedModels) {\n"
        "          const project = useProjectStore.getState().activeProject;\n"
        "          model = getModel(modelId);",
        "a multi-model run's later videos go to the project on screen, not the one that started it",
    ),
    Mutant(
        "submitting-names-first-model",
        "static/js/stores/ai-generation-store.js",
        'progress("submitting", 10, `Submitting ${model.name} request...`);',
        'progress("submitting", 10, `Submitting ${getModel(selectedModels[0]).name} request...`);',
        "the second model's submission is told with the first model's name",
    ),
    Mutant(
        "retry-into-project-on-screen",
        "static/js/stores/media-store.js",
        "      if (!item) return false;\n      const projectId = projectOf(id);\n      const saved",
        "      if (!item) return false;\n      const projectId = activeProjectId();\n      const saved",
        "a Retry after a switch saves the video into the project on screen",
    ),
    Mutant(
        "switch-revokes-unsaved-urls",
        "static/js/stores/media-store.js",
        "      for (const item of get().mediaItems) if (!keep.has(item.url)) revoke(item);",
        "      for (const item of get().mediaItems) revoke(item);",
        "an unsaved video no longer plays after a switch away and back",
    ),
    Mutant(
        "empty-state-counts-hidden",
        "static/js/views/media-view.js",
        "    empty.hidden = isLoading || visible.length > 0;",
        "    empty.hidden = isLoading || mediaItems.length > 0;",
        "a filter hiding every item leaves a blank panel, not the empty state",
    ),
    Mutant(
        "save-locally-from-cache",
        "static/js/lib/download.js",
        '    response = await fetch(href, again ? { cache: "reload" } : {});',
        "    response = await fetch(href, {});",
        "Save locally takes the browser's cached copy, not the CDN's answer",
    ),
    Mutant(
        "any-fal-media-host",
        "static/js/lib/download.js",
        "  if (!FAL_MEDIA_HOSTS.includes(parsed.hostname)) {",
        '  if (!parsed.hostname.endsWith("fal.media")) {',
        "a video from a host merely ending in fal.media is downloaded",
    ),
    Mutant(
        "copy-id-copies-message",
        "static/js/lib/error-handler.js",
        "navigator.clipboard?.writeText(errorId)",
        "navigator.clipboard?.writeText(message)",
        "Copy ID copies the message, not the error's id",
    ),
    Mutant(
        "saved-locally-plays-remote",
        "static/js/stores/media-store.js",
        "({ ...media, file, url, metadata: withoutFlags(media.metadata) }));\n"
        '      toast.success("Saved locally"',
        '({ ...media, metadata: withoutFlags(media.metadata) }));\n      toast.success("Saved locally"',
        "a video saved locally still plays from FAL's URL until a reload",
    ),
)


def run(mutant: Mutant, workers: str, tests: list[str] | None = None) -> GateRun:
    """The suite (or `tests`) against the app with `mutant`, stopping at its first failure."""
    options, env = mutant.suite_options(mutant.apply(GATE_REPORTS / "mutants"))
    return run_suite(
        "fixed",
        tests=tests,
        workers=workers,
        extra=[*options, "--maxfail=1"],
        env=env,
        markers=EVERY_TEST,
        label=f"mutant-{mutant.name}",
        quiet=True,
    )


def verdict(mutant: Mutant, result: GateRun) -> tuple[bool, str]:
    """Whether this outcome is as it should be, and the line that says it."""
    # First the catch: xdist ends a run stopped at its first failure as interrupted (exit 2), not 1.
    if result.caught:
        test, message = next(iter(result.caught.items()))
        return True, f"{mutant.name:32} caught in {result.seconds:.0f} s by {test}\n{'':34}{message}"
    if result.broken:
        return False, f"{mutant.name:32} BROKEN RUN (pytest exit {result.exit_code}): see {result.log}"
    if mutant.missed_because:
        return True, f"{mutant.name:32} missed, as known: {mutant.missed_because}"
    return False, f"{mutant.name:32} MISSED ({result.total} tests passed): a user would see {mutant.shows}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m e2e.gate.mutants", description=__doc__.splitlines()[0])
    parser.add_argument(
        "names", nargs="*", help=f"mutants to run (default: all): {', '.join(m.name for m in MUTANTS)}"
    )
    parser.add_argument("-n", dest="workers", default="2", help="pytest-xdist workers per run (default 2)")
    parser.add_argument(
        "--tests", nargs="+", metavar="TEST", help="run these tests only (paths or node ids), in one process"
    )
    options = parser.parse_args(argv)
    known = {mutant.name: mutant for mutant in MUTANTS}
    unknown = [name for name in options.names if name not in known]
    if unknown:
        parser.error(f"unknown mutant(s) {', '.join(unknown)}; known: {', '.join(known)}")
    chosen = [known[name] for name in options.names] or list(MUTANTS)
    good = True
    for mutant in chosen:
        ok, line = verdict(mutant, run(mutant, options.workers, options.tests))
        print(line, flush=True)
        good &= ok
    print("every mutant caught, or a known miss" if good else "some mutant was missed: see above")
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
