"""QCut's projects page (#/projects): "Your Projects", the New project button and the project links.

Every new QCut project is called "New Project", so projects are told apart by id: the editor's URL
(`#/editor/<id>`) and the project link's target.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from .tab_bar import MEDIA, TabBar
from .timeline import zoom_out
from .wayfinding import Way, any_shown, find, shows_any, without_test_id

# The editor is a lazy route of about 10 MB of chunks: on a loaded 2-core machine it takes seconds to mount.
EDITOR_LOAD_MS = 30_000
# The editor's media panel: what the suite knows the editor by (and the media view by).
MEDIA_PANEL_TEST_ID = "media-panel"
# As a user knows it: the box around the media view's search (or, while a card is chosen in 2026, the
# Deselect that takes its place) that also shows the "Media" tab (every build opens the editor on it).
AROUND_MEDIA_TAB = "xpath=ancestor::*[.//*[text()[normalize-space()='Media']]][1]"


def media_panel_ways(page: Page) -> list[Way]:
    """The ways to the editor's media panel: by its test id, and by sight."""
    scope = without_test_id(page, MEDIA_PANEL_TEST_ID)
    anchor = scope.get_by_placeholder("Search media...").or_(
        scope.get_by_role("button", name="Deselect", exact=True)
    )
    return [
        Way(f"the test id {MEDIA_PANEL_TEST_ID!r}", page.get_by_test_id(MEDIA_PANEL_TEST_ID)),
        Way("the box around 'Search media...' showing the 'Media' tab", anchor.locator(AROUND_MEDIA_TAB)),
    ]


EDITOR_URL = re.compile(r"#/editor/([\w-]+)$")  # JavaScript regex too: no named group
ACTIVE_PROJECT_IS = "(id) => window.useProjectStore?.getState().activeProject?.id === id"


class ProjectsPage:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", name="Your Projects", exact=True)
        # By its name: test ids came later (c844ed1f has none), and the mobile layout's twin is hidden.
        self.new_project_button = page.get_by_role("button", name="New project", exact=True)
        self.media_panel_ways = media_panel_ways(page)
        self.media_panel = any_shown(self.media_panel_ways)
        # The editor header's project menu: its first entry leads back to the projects page.
        self.project_menu = [
            Way("the test id 'project-menu-button'", page.get_by_test_id("project-menu-button")),
            Way(
                "a button named after the project",
                page.get_by_role("button", name=re.compile(r"^\s*New Project")),
            ),
        ]
        self.back_to_projects_item = page.get_by_role("menuitem", name="Projects", exact=True)
        # The landing page's way in (2026: a "Projects" button in a link in its header).
        self.landing_ways = [
            Way("a link named 'Projects'", page.get_by_role("link", name=re.compile(r"^\s*Projects\b"))),
            Way("a button named 'Projects'", page.get_by_role("button", name=re.compile(r"^\s*Projects\b"))),
        ]

    def expect_loaded(self) -> None:
        expect(self.heading, "the projects page should open").to_be_visible()

    def enter(self) -> None:
        """From wherever the app opens (its landing page at `/`, or the projects page itself), reach the
        projects page as a user does: through the landing page's "Projects" link."""
        ways = [Way("the heading 'Your Projects'", self.heading), *self.landing_ways]
        way_in = find(self.page, "the projects page or a way to it", ways)
        if not self.heading.is_visible():
            way_in.click()
        self.expect_loaded()

    def create_project(self) -> str:
        """Click New project; wait for its editor; return its id (every new project is "New Project")."""
        self.new_project_button.click()
        expect(self.page, "a new project should open in the editor").to_have_url(EDITOR_URL)
        self.expect_editor()
        return self.open_id()

    def expect_editor(self) -> None:
        """The editor has rendered (its tabs or its media panel, within EDITOR_LOAD_MS: its chunks are
        large), and shows its media panel: a build that renamed the panel is a harness-gap at once, not a
        wait of the editor's whole load time."""
        rendered = self.media_panel.or_(self.page.get_by_role("tab")).first
        expect(rendered, "the editor should open").to_be_visible(timeout=EDITOR_LOAD_MS)
        if not shows_any(self.media_panel_ways):
            # Found by sight only in the Media view (a 2026 editor may open on another): open it, as a user.
            TabBar(self.page).open(MEDIA, self.media_panel, "the editor's media panel")
        find(self.page, "the editor's media panel", self.media_panel_ways)

    def open_id(self) -> str:
        """The id of the project the editor shows, from its URL."""
        match = EDITOR_URL.search(self.page.url)
        assert match, f"the editor's URL should name its project: {self.page.url}"
        return match[1]

    def expect_settled(self, project_id: str) -> None:
        """The editor has loaded `project_id` as the app's active project: from then on it no longer
        switches views on its own (2026 builds open the terminal view once the project is loaded)."""
        self.page.wait_for_function(ACTIVE_PROJECT_IS, arg=project_id, timeout=EDITOR_LOAD_MS)

    def editor_ready(self, project_id: str) -> None:
        """The editor has just mounted `project_id`: once it has settled, zoom its timeline out, which spares
        every later query a 2026 editor's two-hour ruler (the zoom resets whenever the editor mounts)."""
        self.expect_settled(project_id)
        zoom_out(self.page)
        self.close_greeting()

    def close_greeting(self) -> None:
        """Close a dialog that greets the editor's first visit, as a user does: its Close button, else Escape.
        (c844ed1f shows "Welcome to QCut Beta!" over the editor until it has been closed once; later builds
        dropped it.)"""
        dialog = self.page.get_by_role("dialog")
        if not dialog.is_visible():
            return
        close = dialog.get_by_role("button", name="Close", exact=True)
        if close.is_visible():
            close.click()
        else:
            self.page.keyboard.press("Escape")
        expect(dialog, "the dialog over the editor should close as a user closes it").to_be_hidden()

    # --- from the editor ----------------------------------------------------------------------------

    def back_to_projects(self) -> None:
        """Leave the editor through the project menu's "Projects" entry."""
        find(self.page, "the editor's project menu", self.project_menu).click()
        ways = [Way("a menu item named 'Projects'", self.back_to_projects_item)]
        find(self.page, "the project menu's 'Projects' entry", ways).click()
        self.expect_loaded()

    def create_another_project(self) -> str:
        """From the editor, go back to the projects page and start a new project; return its id."""
        self.back_to_projects()
        project_id = self.create_project()
        self.editor_ready(project_id)  # the stores are on `window` already: the page was not reloaded
        return project_id

    def switch_to(self, project: str) -> None:
        """Open another project (by its id): QCut's only way is back to the projects page, then its link."""
        self.switch_to_id(project)

    def reopen_through_projects_page(self, project: str) -> None:
        """Back to the projects page, then the project's link: on QCut, what switch_to does too."""
        self.switch_to_id(project)

    def switch_to_id(self, project_id: str) -> None:
        """Open another project the only way QCut offers: back to the projects page, then its link."""
        self.back_to_projects()
        # The link wraps the project's card (project-list-item).
        self.page.locator(f'a[href$="/editor/{project_id}"]').first.click()
        self.expect_open_id(project_id)
        zoom_out(self.page)

    def expect_open_id(self, project_id: str) -> None:
        """The editor shows project `project_id`: its URL, its media panel, and the app's active project."""
        expect(self.page, "the project should open in the editor").to_have_url(
            re.compile(rf"#/editor/{re.escape(project_id)}$")
        )
        self.expect_editor()
        self.expect_settled(project_id)
