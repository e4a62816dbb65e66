"""Page objects for the reference app: one class per panel, locators as attributes, user verbs as methods."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from .ai_panel import AIPanel
from .media_panel import MediaPanel
from .preview_panel import PreviewPanel
from .projects_page import ProjectsPage, project_name
from .toasts import Toasts

__all__ = ["AIPanel", "MediaPanel", "PreviewPanel", "ProjectsPage", "QCutApp", "Toasts"]


class QCutApp:
    """The whole app as a user meets it: open it, then use its panels."""

    def __init__(self, page: Page, url: str) -> None:
        self.page = page
        self.url = url
        self.projects = ProjectsPage(page)
        self.media = MediaPanel(page)
        self.ai = AIPanel(page)
        self.preview = PreviewPanel(page)
        self.toasts = Toasts(page)

    def open(self, query: str = "") -> QCutApp:
        """Open the projects page; `query` such as `?profile=legacy` picks the page's profile."""
        self.page.goto(self.url + query + "#/projects")
        self.projects.expect_loaded()
        return self

    def open_new_project(self, query: str = "") -> str:
        """Open the app, create a project and land in its editor; return the project id."""
        self.open(query)
        return self.projects.create_project()

    def open_new_projects(self, count: int, query: str = "") -> list[str]:
        """Open the app and create `count` projects; the last stays open. Return their names, oldest first."""
        self.open_new_project(query)
        for _ in range(count - 1):
            self.projects.create_another_project()
        names = [project_name(number) for number in range(1, count + 1)]
        self.projects.expect_open(names[-1])
        return names

    def expect_no_test_id(self, test_id: str, message: str) -> None:
        """Nothing on the page carries `test_id` (for markup that must stay text)."""
        expect(self.page.get_by_test_id(test_id), message).to_have_count(0)

    def reload(self) -> None:
        """Reload the page as a user pressing F5 (the same project stays open)."""
        self.page.reload()
        self.media.expect_loaded()
