"""Page objects for a real QCut web build: the reference app's verbs and expectations on QCut's own DOM.

QCut has no state attributes, no project switcher and none of the bug report's plan features (badge, Retry,
URL-only, hidden-items hint); where a verb needs one of those, it looks for it the way a user would (by role
and text), so a build that gains the feature passes and one that lacks it fails as a known gap of that build.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from e2e.pages.toasts import Toasts

from .ai_panel import AIPanel
from .media_panel import STORE_NAMES, MediaPanel, store_holding
from .preview_panel import PreviewPanel
from .projects_page import ProjectsPage
from .store_bridge import bridge_stores

__all__ = ["RealQCutApp"]


class RealQCutApp:
    """A real QCut build as a user meets it: open it, then use its panels."""

    def __init__(self, page: Page, url: str) -> None:
        self.page = page
        self.url = url
        self.projects = ProjectsPage(page)
        self.media = MediaPanel(page)
        self.ai = AIPanel(page, self.media)
        self.preview = PreviewPanel(page)
        self.toasts = Toasts(page)

    def open(self, query: str = "") -> RealQCutApp:
        """Open the app at its root and pass its landing page to the projects page, as a user does; `query`
        is passed on as it is (a built app reads none of ours)."""
        self.page.goto(self.url + query)
        self.projects.enter()
        return self

    def open_new_project(self, query: str = "") -> str:
        """Open the app, create a project and land in its editor; return the project id."""
        self.open(query)
        project_id = self.projects.create_project()
        bridge_stores(self.page)
        self.projects.editor_ready(project_id)
        return project_id

    def open_new_projects(self, count: int, query: str = "") -> list[str]:
        """Open the app and create `count` projects; the last stays open, its media view shown. Return
        their ids, oldest first."""
        ids = [self.open_new_project(query)]
        ids += [self.projects.create_another_project() for _ in range(count - 1)]
        self.media.show()
        return ids

    def unstored_note(self) -> str | None:
        """For a failure's report: the first video a run of this page started that the app's media store
        does not hold, in `store_holding`'s words (None when it holds every one): one read of the store."""
        held: list[str] | None = self.page.evaluate(STORE_NAMES)
        missing = [name for name in self.ai.started if name not in (held or [])]
        return store_holding(missing[0], held) if missing else None

    def expect_no_test_id(self, test_id: str, message: str) -> None:
        """Nothing on the page carries `test_id` (for markup that must stay text)."""
        expect(self.page.get_by_test_id(test_id), message).to_have_count(0)

    def reload(self) -> None:
        """Reload the page as a user pressing F5 (the same project stays open), then look at the media
        view, as a user does: 2026 builds open the editor on another view (the terminal)."""
        project_id = self.projects.open_id()
        self.page.reload()
        self.media.expect_loaded()
        bridge_stores(self.page)
        self.projects.editor_ready(project_id)
        self.media.show()
