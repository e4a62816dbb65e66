// The AI video flow (the original's use-ai-generation.ts): generate with each selected model, download the
// video, and add it to the project that was active when generation started.
import { REMOTE_PREVIEW, hasBug } from "../config.js";
import { getModel } from "../lib/ai-models.js";
import { createStore } from "../lib/create-store.js";
import { downloadVideo } from "../lib/download.js";
import { ErrorCategory, ErrorSeverity, handleAIServiceError, handleError } from "../lib/error-handler.js";
import { FalApiError, generateQueued, generateSync } from "../lib/fal-client.js";
import { probeVideo } from "../lib/media-probe.js";
import { toast } from "../lib/toast.js";
import { errorMessage } from "../lib/utils.js";
import { useMediaStore } from "./media-store.js";
import { useProjectStore } from "./project-store.js";

// generation states, also shown as `data-generation-state` on the AI panel
export const GENERATION_STATES = ["idle", "submitting", "queued", "generating", "downloading", "saving", "done", "error"];

let elapsedTimer = null;

export const useAIGenerationStore = createStore((set, get) => {
  const progress = (state, percent, message) => {
    console.log(`[AI View] Progress: ${percent}% - ${message}`);
    set({ generationState: state, progress: percent, statusMessage: message });
  };

  const startClock = () => {
    clearInterval(elapsedTimer);
    elapsedTimer = setInterval(() => set({ elapsedSeconds: Math.floor((Date.now() - get().startedAt) / 1000) }), 1000);
  };
  const stopClock = () => clearInterval(elapsedTimer);

  const onQueueStatus = (model) => (status) => {
    if (status.status === "IN_QUEUE") {
      progress("queued", 5, `Queued (position: ${status.queue_position ?? 0})`);
    } else if (status.status === "IN_PROGRESS") {
      const elapsed = (Date.now() - get().startedAt) / 1000;
      progress("generating", Math.min(90, Math.round(20 + 2 * elapsed)), `Generating video with ${model.name}...`);
    } else if (status.status === "COMPLETED") {
      progress("generating", 95, `Fetching ${model.name} result...`);
    }
  };

  const integrate = async (response, model, project, prompt) => {
    progress("downloading", 100, "Downloading video...");
    const falVideo = response.video_data?.video;
    const fileName = `AI-Video-${model.id}-${Date.now()}.mp4`;
    const file = await downloadVideo(response.video_url, { fileName, expectedSize: falVideo?.file_size });

    set({ generationState: "saving", statusMessage: "Adding video to your media library..." });
    let info = null;
    let playbackError = null;
    try {
      info = await probeVideo(file);
    } catch (error) {
      playbackError = errorMessage(error);
      console.warn(`[AI Generation] The downloaded video can't be played: ${playbackError}`);
    }
    const mediaItem = {
      name: `AI: ${prompt.substring(0, 30)}...`,
      type: "video",
      file,
      // The original kept the remote URL as the item's url; the fix plays a blob of the stored file.
      url: REMOTE_PREVIEW ? response.video_url : URL.createObjectURL(file),
      originalUrl: response.video_url,
      duration: info?.duration || falVideo?.duration || 5,
      width: info?.width || falVideo?.width || 1920,
      height: info?.height || falVideo?.height || 1080,
      metadata: {
        source: "text2video",
        model: model.id,
        prompt,
        jobId: response.job_id,
        generatedAt: new Date().toISOString(),
        ...(playbackError ? { corrupt: true, playbackError } : {}),
      },
    };
    try {
      const newItemId = await useMediaStore.getState().addMediaItem(project.id, mediaItem);
      console.log("✅ VIDEO SUCCESSFULLY ADDED TO MEDIA STORE!", { newItemId, projectId: project.id });
      const onScreen = useProjectStore.getState().activeProject;
      // An unsaved or URL-only item already has its own warning toast.
      const unsaved = useMediaStore.getState().getMediaItem(newItemId)?.metadata?.unsaved;
      if (!unsaved) toast.success(`Video added to "${project.name}"`, {
        description:
          onScreen && onScreen.id !== project.id
            ? `You are viewing "${onScreen.name}". Open "${project.name}" to see it.`
            : mediaItem.name,
      });
      if (playbackError) {
        toast.warning("The generated video can't be played", { description: playbackError });
      }
      return newItemId;
    } catch (error) {
      console.error("❌ Media integration failed:", error);
      return null;
    }
  };

  return {
    prompt: "",
    selectedModels: [],
    generationState: "idle",
    progress: 0,
    statusMessage: "",
    error: null,
    elapsedSeconds: 0,
    startedAt: 0,
    generatedVideos: [],
    projectId: null,

    setPrompt: (prompt) => set({ prompt }),
    toggleModel: (id, selected) =>
      set((state) => ({
        selectedModels: selected
          ? [...new Set([...state.selectedModels, id])]
          : state.selectedModels.filter((model) => model !== id),
      })),
    isGenerating: () => !["idle", "done", "error"].includes(get().generationState),

    generate: async () => {
      const { prompt, selectedModels } = get();
      if (get().isGenerating() || !prompt.trim() || selectedModels.length === 0) return;
      // Captured now: the item belongs to this project even if the user switches before it arrives.
      const project = useProjectStore.getState().activeProject;
      if (!project) {
        toast.error("No active project");
        return;
      }
      // A new run starts with no error of its own; `stale-error` keeps the last run's, as QCut's hook did.
      const error = hasBug("stale-error") ? get().error : null;
      set({ error, startedAt: Date.now(), elapsedSeconds: 0, projectId: project.id });
      startClock();
      const generations = [];
      let model = null;
      try {
        for (const modelId of selectedModels) {
          model = getModel(modelId);
          progress("submitting", 10, `Submitting ${model.name} request...`);
          const response =
            model.mode === "sync"
              ? await generateSync(model, prompt)
              : await generateQueued(model, prompt, onQueueStatus(model));
          if (model.mode === "sync" && response.job_id && response.video_url) {
            console.log("🎉 FIX SUCCESS: Direct mode with job_id detected!");
          }
          if (!response.video_url) {
            throw new Error(`${model.name} finished but its result has no video URL`);
          }
          console.log(`[AI View] Progress: 100% - Video generated using ${model.name}`);
          generations.push({ jobId: response.job_id, videoUrl: response.video_url, prompt, model: model.id });
          await integrate(response, model, project, prompt);
        }
        stopClock();
        set({
          generationState: "done",
          progress: 100,
          statusMessage: `Generated ${generations.length} videos successfully!`,
          generatedVideos: [...get().generatedVideos, ...generations],
        });
      } catch (error) {
        stopClock();
        const message = errorMessage(error);
        if (error instanceof FalApiError) {
          handleAIServiceError(error, `Generate ${model?.name ?? "AI"} video`, { status: error.status });
        } else {
          handleError(error, {
            operation: `Add ${model?.name ?? "AI"} video to media`,
            category: ErrorCategory.NETWORK,
            severity: ErrorSeverity.HIGH,
          });
        }
        set({ generationState: "error", error: message, statusMessage: message, generatedVideos: [...get().generatedVideos, ...generations] });
      }
    },
  };
});
