"""QCut's projects page (#/projects): "Your Projects", the New project button and the project links."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

EDITOR_URL = re.compile(r"#/editor/([\w-]+)$")  # JavaScript regex too: no named group


class ProjectsPage:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", name="Your Projects", exact=True)
        # By its name: test ids came later (c844ed1f has none), and the mobile layout's twin is hidden.
        self.new_project_button = page.get_by_role("button", name="New project", exact=True)
        self.items = page.get_by_test_id("project-list-item")
        self.media_panel = page.get_by_test_id("media-panel")

    def expect_loaded(self) -> None:
        expect(self.heading, "the projects page should open").to_be_visible()

    def create_project(self) -> str:
        """Click New project; wait for its editor; return its id (every new project is "New Project")."""
        self.new_project_button.click()
        expect(self.page, "a new project should open in the editor").to_have_url(EDITOR_URL)
        expect(self.media_panel, "the editor should show its media panel").to_be_visible()
        match = EDITOR_URL.search(self.page.url)
        assert match, self.page.url
        return match[1]

    def open_project(self, project_id: str) -> None:
        """Open a listed project by its id (QCut names every new project "New Project")."""
        self.page.locator(f'[data-testid="project-list-item"] a[href$="#/editor/{project_id}"]').click()
        expect(self.page).to_have_url(re.compile(f"#/editor/{project_id}$"))
        expect(self.media_panel).to_be_visible()
