"""QCut's projects page (#/projects): "Your Projects", the New project button and the project links."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

# The editor is a lazy route of about 10 MB of chunks: on a loaded 2-core machine it takes seconds to mount.
EDITOR_LOAD_MS = 30_000
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
        expect(self.media_panel, "the editor should show its media panel").to_be_visible(
            timeout=EDITOR_LOAD_MS
        )
        match = EDITOR_URL.search(self.page.url)
        assert match, self.page.url
        return match[1]
