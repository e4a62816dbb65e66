// The AI view (`ai-features-panel`): prompt, model checkboxes, the generate button, progress and errors.
import { AI_MODELS, MAX_PROMPT_LENGTH, getModel } from "../lib/ai-models.js";
import { h, replaceChildren } from "../lib/dom.js";
import { formatDuration } from "../lib/utils.js";
import { useAIGenerationStore } from "../stores/ai-generation-store.js";

export function generateButtonText(state) {
  if (state.isGenerating()) return "Generating Video...";
  const count = state.selectedModels.length;
  if (count === 0) return "Generate Video";
  return `Generate with ${count} Model${count === 1 ? "" : "s"}`;
}

function modelOption(model, selected) {
  const id = `ai-model-${model.id}`;
  return h(
    "label",
    { for: id, className: "model-option", dataset: { modelId: model.id } },
    h("input", {
      type: "checkbox",
      id,
      "aria-label": `Select ${model.name}`,
      checked: selected,
      onChange: (event) => useAIGenerationStore.getState().toggleModel(model.id, event.target.checked),
    }),
    h(
      "span",
      { className: "model-text" },
      h("span", { className: "model-name" }, model.name),
      h("span", { className: "muted" }, model.description),
      h("span", { className: "muted" }, `$${model.price} · ${model.resolution} · ${model.mode === "queue" ? "queue" : "direct"}`),
    ),
  );
}

export function mountAIView(container) {
  const initial = useAIGenerationStore.getState();
  const prompt = h("textarea", {
    id: "prompt",
    placeholder: "Describe the video you want to generate...",
    maxlength: String(MAX_PROMPT_LENGTH),
    rows: "4",
    value: initial.prompt,
    onInput: (event) => useAIGenerationStore.getState().setPrompt(event.target.value),
  });
  const counter = h("p", { className: "muted counter" });
  const models = h(
    "fieldset",
    { className: "models" },
    h("legend", {}, "Models"),
    AI_MODELS.map((model) => modelOption(model, initial.selectedModels.includes(model.id))),
  );
  const validation = h("p", { className: "validation", role: "note" }, "⚠️ Please enter a prompt to generate video");
  const button = h(
    "button",
    {
      type: "button",
      className: "primary",
      "data-testid": "generate-button",
      onClick: () => useAIGenerationStore.getState().generate(),
    },
    "Generate Video",
  );
  const percent = h("span", { "data-testid": "ai-progress-percent" });
  const bar = h("progress", { max: "100", value: "0", "aria-label": "Generation progress" });
  const status = h("p", { "data-testid": "ai-status-message", className: "status-message" });
  const elapsed = h("p", { className: "muted" });
  const progressBox = h(
    "div",
    { className: "progress-box", "data-testid": "ai-progress", hidden: true },
    h("div", { className: "progress-head" }, h("span", {}, "Generating..."), percent),
    bar,
    status,
    elapsed,
  );
  const errorBox = h("div", { className: "text-destructive error-box", role: "alert", "data-testid": "ai-error", hidden: true });
  const results = h("ul", { className: "results" });
  const resultsSection = h(
    "section",
    { className: "generated", "aria-label": "Generated Videos", hidden: true },
    h("h3", {}, "Generated Videos"),
    results,
  );
  const panel = h(
    "div",
    { className: "ai-view", "data-testid": "ai-features-panel", dataset: { generationState: "idle" } },
    h(
      "div",
      { "data-testid": "ai-enhancement-panel" },
      h("label", { for: "prompt" }, "Prompt"),
      prompt,
      counter,
      models,
      validation,
      button,
      progressBox,
      errorBox,
      resultsSection,
    ),
  );
  container.append(panel);

  const render = () => {
    const state = useAIGenerationStore.getState();
    const running = state.isGenerating();
    panel.dataset.generationState = state.generationState;
    panel.dataset.progress = String(state.progress);
    if (prompt.value !== state.prompt) prompt.value = state.prompt;
    counter.textContent = `${MAX_PROMPT_LENGTH - state.prompt.length} characters remaining`;
    for (const model of AI_MODELS) {
      const box = models.querySelector(`#ai-model-${model.id}`);
      box.checked = state.selectedModels.includes(model.id);
      box.disabled = running;
    }
    prompt.disabled = running;
    validation.hidden = !(state.selectedModels.length > 0 && !state.prompt.trim());
    button.textContent = generateButtonText(state);
    button.disabled = running || state.selectedModels.length === 0 || !state.prompt.trim();
    progressBox.hidden = !running && state.generationState !== "done";
    percent.textContent = `${state.progress}%`;
    bar.value = state.progress;
    status.textContent = state.statusMessage;
    elapsed.textContent = `Elapsed: ${formatDuration(state.elapsedSeconds)}`;
    errorBox.hidden = !state.error;
    errorBox.textContent = state.error || "";
    resultsSection.hidden = state.generatedVideos.length === 0;
    replaceChildren(
      results,
      state.generatedVideos.map((video) =>
        h("li", {}, h("strong", {}, getModel(video.model)?.name ?? video.model), " ", `${video.prompt.substring(0, 40)}`),
      ),
    );
  };
  const unsubscribe = useAIGenerationStore.subscribe(render);
  render();
  return unsubscribe;
}
