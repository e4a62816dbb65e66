"""The projects page (#/projects): list, create and open projects; and the editor's ways back to it."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

DEFAULT_NAME = "New Project"


def project_name(number: int) -> str:
    """The name the app gives the `number`-th new project: New Project, New Project 2, ..."""
    return DEFAULT_NAME if number == 1 else f"{DEFAULT_NAME} {number}"


class ProjectsPage:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", name="Projects", exact=True)
        self.new_project_button = page.get_by_test_id("new-project-button")
        self.items = page.get_by_test_id("project-list-item")
        self.editor = page.get_by_test_id("editor-container")
        # The editor's toolbar: the open project's name, the way back here, and the project switcher.
        self.open_project_name = page.get_by_test_id("editor-project-name")
        self.back_link = page.get_by_role("link", name="← Projects", exact=True)
        self.switcher = page.get_by_label("Switch project", exact=True)

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
        self.expect_open(name)

    def delete_project(self, name: str) -> None:
        """Delete a listed project with its own button, named for it."""
        button = self.items.get_by_role("button", name=f"Delete {name}", exact=True)
        expect(button, f"{name!r} should have its own 'Delete {name}' button").to_be_visible()
        button.click()

    # --- from the editor ----------------------------------------------------------------------------

    def back_to_projects(self) -> None:
        """Leave the editor by its '← Projects' link."""
        self.back_link.click()
        self.expect_loaded()

    def create_another_project(self) -> str:
        """From the editor, go back to the projects page and start a new project; return its id."""
        self.back_to_projects()
        return self.create_project()

    def switch_to(self, name: str) -> None:
        """Open another project with the editor's project switcher."""
        self.switcher.select_option(label=name)
        self.expect_open(name)

    def reopen_through_projects_page(self, name: str) -> None:
        """Open another project the long way: back to the projects page, then its link."""
        self.back_to_projects()
        self.open_project(name)

    def expect_open(self, name: str) -> None:
        """The editor shows project `name` and has finished loading its media."""
        # The name first: right after a switch the old editor is still mounted, already loaded.
        expect(self.open_project_name, f"the editor should show project {name!r}").to_have_text(name)
        expect(self.editor, f"the editor should finish loading {name!r}").to_have_attribute(
            "data-loaded", "true"
        )
        chosen = self.switcher.locator("option:checked")
        expect(chosen, f"the project switcher should show {name!r}, the project open").to_have_text(name)
