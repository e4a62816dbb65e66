"""The projects page (#/projects): list, create and open projects."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect


class ProjectsPage:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", name="Projects")
        self.new_project_button = page.get_by_test_id("new-project-button")
        self.items = page.get_by_test_id("project-list-item")
        self.editor = page.get_by_test_id("editor-container")

    def expect_loaded(self) -> None:
        expect(self.heading, "the projects page should open").to_be_visible()

    def create_project(self) -> str:
        """Click New project; wait for its editor; return the new project's id."""
        self.new_project_button.click()
        expect(self.page, "a new project should open in the editor").to_have_url(
            re.compile(r"#/editor/[\w-]+$")
        )
        expect(self.editor, "the editor should finish loading the project").to_have_attribute(
            "data-loaded", "true"
        )
        return self.page.url.rsplit("/", 1)[-1]

    def open_project(self, name: str) -> None:
        """Open a listed project by its name."""
        self.items.get_by_role("link", name=name, exact=True).click()
        expect(self.editor).to_have_attribute("data-loaded", "true")

    def expect_project_listed(self, name: str) -> None:
        expect(self.items.get_by_role("link", name=name, exact=True)).to_be_visible()
