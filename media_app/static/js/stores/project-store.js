// useProjectStore (the original's stores/project-store.ts): the saved projects and the one on screen.
// Loading a project clears the media list and loads that project's media.
import { createStore } from "../lib/create-store.js";
import { handleStorageError } from "../lib/error-handler.js";
import { storageService } from "../lib/storage/storage-service.js";
import { toast } from "../lib/toast.js";
import { generateUUID } from "../lib/utils.js";
import { useMediaStore } from "./media-store.js";

const DEFAULT_NAME = "New Project";

export const useProjectStore = createStore((set, get) => ({
  activeProject: null,
  projects: [],
  isLoading: false,
  // Projects live only in memory when the projects database is refused (site data blocked).
  storageAvailable: true,

  loadAllProjects: async () => {
    set({ isLoading: true });
    try {
      const stored = await storageService.loadAllProjects();
      const memoryOnly = get().projects.filter((project) => !stored.some((saved) => saved.id === project.id));
      set({ projects: [...stored, ...memoryOnly], storageAvailable: true });
    } catch (error) {
      console.warn("[ProjectStore] projects database unavailable:", error.name, error.message);
      set({ storageAvailable: false });
    } finally {
      set({ isLoading: false });
    }
    return get().projects;
  },

  nextProjectName: () => {
    const names = new Set(get().projects.map((project) => project.name));
    if (!names.has(DEFAULT_NAME)) return DEFAULT_NAME;
    let n = 2;
    while (names.has(`${DEFAULT_NAME} ${n}`)) n++;
    return `${DEFAULT_NAME} ${n}`;
  },

  createNewProject: async (name) => {
    const now = new Date().toISOString();
    const project = { id: generateUUID(), name: name || get().nextProjectName(), createdAt: now, updatedAt: now };
    set((state) => ({ projects: [project, ...state.projects] }));
    try {
      await storageService.saveProject(project);
    } catch (error) {
      console.warn("[ProjectStore] project kept in memory only:", error.name, error.message);
      set({ storageAvailable: false });
      toast.warning("Project not saved: browser storage is unavailable", { description: project.name });
    }
    return project.id;
  },

  loadProject: async (id) => {
    const mediaStore = useMediaStore.getState();
    mediaStore.clearAllMedia();
    let project = get().projects.find((candidate) => candidate.id === id) || null;
    if (!project) {
      try {
        project = await storageService.loadProject(id);
      } catch (error) {
        handleStorageError(error, "Load project", { projectId: id });
      }
    }
    if (!project) {
      set({ activeProject: null });
      throw new Error(`Project ${id} not found`);
    }
    if (!get().projects.some((candidate) => candidate.id === id)) {
      set((state) => ({ projects: [project, ...state.projects] }));
    }
    set({ activeProject: project });
    await useMediaStore.getState().loadProjectMedia(id);
    return project;
  },

  closeProject: () => {
    useMediaStore.getState().clearAllMedia();
    set({ activeProject: null });
  },

  deleteProject: async (id) => {
    if (get().activeProject?.id === id) get().closeProject();
    try {
      await Promise.all([storageService.deleteProjectMedia(id), storageService.deleteProject(id)]);
    } catch (error) {
      handleStorageError(error, "Delete project", { projectId: id });
    }
    // Off the list once storage has let it go, as the original: a reload right after never brings it back.
    set((state) => ({ projects: state.projects.filter((project) => project.id !== id) }));
  },

  projectName: (id) => get().projects.find((project) => project.id === id)?.name ?? id,
}));
