// The projects page (#/projects): the saved projects and the button that starts a new one.
import { h, replaceChildren } from "../lib/dom.js";
import { useProjectStore } from "../stores/project-store.js";

export function mountProjectsPage(container) {
  const list = h("ul", { className: "project-list", "data-testid": "project-list", "aria-label": "Projects" });
  const notice = h("p", { className: "notice", role: "status", "data-testid": "projects-storage-notice" });
  const newButton = h(
    "button",
    {
      type: "button",
      className: "primary",
      "data-testid": "new-project-button",
      onClick: async () => {
        newButton.disabled = true;
        const id = await useProjectStore.getState().createNewProject();
        location.hash = `#/editor/${id}`;
      },
    },
    "New project",
  );
  const page = h(
    "section",
    { className: "projects-page", "data-testid": "projects-page", "aria-labelledby": "projects-heading" },
    h("div", { className: "page-heading" }, h("h1", { id: "projects-heading" }, "Projects"), newButton),
    notice,
    list,
  );
  container.append(page);

  const render = () => {
    const { projects, isLoading, storageAvailable } = useProjectStore.getState();
    page.dataset.loading = String(isLoading);
    notice.hidden = storageAvailable;
    notice.textContent = storageAvailable ? "" : "Browser storage is unavailable: projects are kept for this visit only.";
    if (projects.length === 0) {
      replaceChildren(list, h("li", { className: "empty" }, isLoading ? "Loading projects..." : "No projects yet"));
      return;
    }
    replaceChildren(
      list,
      projects.map((project) =>
        h(
          "li",
          { "data-testid": "project-list-item", dataset: { projectId: project.id } },
          h("a", { href: `#/editor/${project.id}` }, project.name),
          h("span", { className: "muted" }, new Date(project.createdAt).toLocaleString()),
          h(
            "button",
            {
              type: "button",
              className: "ghost",
              "aria-label": `Delete ${project.name}`,
              onClick: () => useProjectStore.getState().deleteProject(project.id),
            },
            "Delete",
          ),
        ),
      ),
    );
  };
  const unsubscribe = useProjectStore.subscribe(render);
  render();
  useProjectStore.getState().loadAllProjects();
  return unsubscribe;
}
