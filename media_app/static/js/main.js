// Boot: the hash router (#/projects, #/editor/<projectId>, #/settings) and the globals DevTools and tests use.
import { BUGS, PROFILE } from "./config.js";
import { storageService } from "./lib/storage/storage-service.js";
import { useAIGenerationStore } from "./stores/ai-generation-store.js";
import { useMediaPanelStore } from "./stores/media-panel-store.js";
import { useMediaStore } from "./stores/media-store.js";
import { useProjectStore } from "./stores/project-store.js";
import { mountEditorPage } from "./views/editor-page.js";
import { mountProjectsPage } from "./views/projects-page.js";
import { mountSettingsPage } from "./views/settings-page.js";

// The bug report's quick check 4: `useMediaStore.getState().mediaItems` in the console.
Object.assign(window, { useMediaStore, useProjectStore, useMediaPanelStore, useAIGenerationStore, storageService });

const app = document.getElementById("app");
let unmount = () => {};
let mountedRoute = null;

function route() {
  const hash = location.hash || "#/projects";
  const editor = hash.match(/^#\/editor\/([^/?#]+)/);
  const key = editor ? `editor:${editor[1]}` : hash === "#/settings" ? "settings" : "projects";
  if (key === mountedRoute) return;
  const leavingEditor = mountedRoute?.startsWith("editor:");
  unmount();
  app.replaceChildren();
  mountedRoute = key;
  if (leavingEditor && !editor) useProjectStore.getState().closeProject();
  app.dataset.route = editor ? "editor" : key;
  if (editor) unmount = mountEditorPage(app, decodeURIComponent(editor[1]));
  else if (key === "settings") unmount = mountSettingsPage(app);
  else {
    if (hash !== "#/projects") history.replaceState(null, "", "#/projects");
    unmount = mountProjectsPage(app);
  }
  app.removeAttribute("aria-busy");
}

const badge = document.querySelector('[data-testid="profile-badge"]');
if (badge) {
  badge.textContent = PROFILE === "fixed" ? "" : `profile: ${PROFILE}${BUGS.size ? ` (${[...BUGS].join(", ")})` : ""}`;
  badge.hidden = PROFILE === "fixed";
}
window.addEventListener("hashchange", route);
route();
document.documentElement.dataset.appReady = "true";
