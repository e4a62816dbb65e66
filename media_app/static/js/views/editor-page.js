// The editor (#/editor/<projectId>): the media panel with its Media and AI Video tabs, and the preview.
import { h, replaceChildren } from "../lib/dom.js";
import { useMediaPanelStore } from "../stores/media-panel-store.js";
import { useProjectStore } from "../stores/project-store.js";
import { mountAIView } from "./ai-view.js";
import { mountMediaView } from "./media-view.js";
import { mountPreviewPanel } from "./preview-panel.js";

const TABS = [
  { key: "media", label: "Media" },
  { key: "ai", label: "AI Video" },
];

export function mountEditorPage(container, projectId) {
  const name = h("h1", { className: "project-name", "data-testid": "editor-project-name" }, "Loading project...");
  const switcher = h("select", {
    "aria-label": "Switch project",
    "data-testid": "project-switcher",
    onChange: (event) => {
      location.hash = `#/editor/${event.target.value}`;
    },
  });
  const tabButtons = TABS.map((tab) =>
    h(
      "button",
      {
        type: "button",
        role: "tab",
        id: `${tab.key}-tab`,
        "data-testid": `${tab.key}-panel-tab`,
        "aria-controls": "media-panel-view",
        onClick: () => useMediaPanelStore.getState().setActiveTab(tab.key),
      },
      h("span", {}, tab.label),
    ),
  );
  const viewHost = h("div", { id: "media-panel-view", role: "tabpanel", className: "panel-view" });
  const mediaPanel = h(
    "aside",
    { className: "media-panel", "data-testid": "media-panel", "aria-label": "Media panel" },
    h("div", { className: "tabbar", role: "tablist", "aria-label": "Media panel tabs" }, tabButtons),
    viewHost,
  );
  const previewHost = h("div", { className: "preview-host" });
  const editor = h(
    "div",
    { className: "editor", "data-testid": "editor-container", dataset: { projectId } },
    h(
      "div",
      { className: "editor-toolbar" },
      h("a", { href: "#/projects", className: "back" }, "← Projects"),
      name,
      h("label", { className: "switcher" }, h("span", { className: "muted" }, "Project"), switcher),
    ),
    h("div", { className: "editor-body" }, mediaPanel, previewHost),
  );
  container.append(editor);

  let activeTab = null;
  let unmountView = () => {};
  const renderTabs = () => {
    const { activeTab: tab } = useMediaPanelStore.getState();
    if (tab === activeTab) return;
    activeTab = tab;
    tabButtons.forEach((button, index) => {
      const selected = TABS[index].key === tab;
      button.setAttribute("aria-selected", String(selected));
      button.classList.toggle("active", selected);
    });
    unmountView();
    replaceChildren(viewHost);
    viewHost.setAttribute("aria-labelledby", `${tab}-tab`);
    unmountView = tab === "ai" ? mountAIView(viewHost) : mountMediaView(viewHost);
  };
  const renderProject = () => {
    const { activeProject, projects } = useProjectStore.getState();
    if (activeProject?.id === projectId) name.textContent = activeProject.name;
    const options = projects.map((project) => h("option", { value: project.id }, project.name));
    replaceChildren(switcher, options);
    switcher.value = projectId;
  };

  const unmountPreview = mountPreviewPanel(previewHost);
  const unsubscribers = [useMediaPanelStore.subscribe(renderTabs), useProjectStore.subscribe(renderProject)];
  renderTabs();
  renderProject();
  useProjectStore.getState().loadAllProjects();
  useMediaPanelStore.getState().selectMedia(null);
  editor.setAttribute("aria-busy", "true");
  useProjectStore
    .getState()
    .loadProject(projectId)
    .then(() => {
      editor.dataset.loaded = "true";
    })
    .catch((error) => {
      console.error("[Editor] Could not open project:", error);
      name.textContent = "Project not found";
      editor.dataset.loaded = "error";
    })
    .finally(() => editor.removeAttribute("aria-busy"));

  return () => {
    unsubscribers.forEach((unsubscribe) => unsubscribe());
    unmountView();
    unmountPreview();
  };
}
