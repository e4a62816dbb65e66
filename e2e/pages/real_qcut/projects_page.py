"""QCut's projects page (#/projects): "Your Projects", the New project button and the project links.

Every new QCut project is called "New Project", so projects are told apart by id: the editor's URL
(`#/editor/<id>`) and the project link's target.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

# The editor is a lazy route of about 10 MB of chunks: on a loaded 2-core machine it takes seconds to mount.
EDITOR_LOAD_MS = 30_000
EDITOR_URL = re.compile(r"#/editor/([\w-]+)$")  # JavaScript regex too: no named group
ACTIVE_PROJECT_IS = "(id) => window.useProjectStore?.getState().activeProject?.id === id"


class ProjectsPage:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", name="Your Projects", exact=True)
        # By its name: test ids came later (c844ed1f has none), and the mobile layout's twin is hidden.
        self.new_project_button = page.get_by_role("button", name="New project", exact=True)
        self.items = page.get_by_test_id("project-list-item")
        self.media_panel = page.get_by_test_id("media-panel")
        # The editor header's project menu: its first entry leads back to the projects page.
        self.project_menu = page.get_by_test_id("project-menu-button")
        self.back_to_projects_item = page.get_by_role("menuitem", name="Projects", exact=True)

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

    # --- from the editor ----------------------------------------------------------------------------

    def back_to_projects(self) -> None:
        """Leave the editor through the project menu's "Projects" entry."""
        self.project_menu.click()
        self.back_to_projects_item.click()
        self.expect_loaded()

    def create_another_project(self) -> str:
        """From the editor, go back to the projects page and start a new project; return its id."""
        self.back_to_projects()
        return self.create_project()

    def switch_to_id(self, project_id: str) -> None:
        """Open another project the only way QCut offers: back to the projects page, then its link."""
        self.back_to_projects()
        # The link wraps the project's card (project-list-item).
        self.page.locator(f'a[href$="/editor/{project_id}"]').first.click()
        self.expect_open_id(project_id)

    def expect_open_id(self, project_id: str) -> None:
        """The editor shows project `project_id`: its URL, its media panel, and the app's active project."""
        expect(self.page, "the project should open in the editor").to_have_url(
            re.compile(rf"#/editor/{re.escape(project_id)}$")
        )
        expect(self.media_panel, "the editor should show its media panel").to_be_visible(
            timeout=EDITOR_LOAD_MS
        )
        self.page.wait_for_function(ACTIVE_PROJECT_IS, arg=project_id, timeout=EDITOR_LOAD_MS)
