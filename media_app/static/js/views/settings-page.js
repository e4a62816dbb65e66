// Settings (#/settings): the FAL API key, as the original's API keys tab.
import { getFalApiKey, setFalApiKey } from "../config.js";
import { h } from "../lib/dom.js";
import { toast } from "../lib/toast.js";

export function mountSettingsPage(container) {
  const input = h("input", {
    id: "fal-api-key",
    type: "password",
    autocomplete: "off",
    spellcheck: "false",
    "data-testid": "fal-api-key-input",
    value: getFalApiKey(),
  });
  const form = h(
    "form",
    {
      className: "settings-form",
      onSubmit: (event) => {
        event.preventDefault();
        const persisted = setFalApiKey(input.value.trim());
        toast.success("API keys saved", {
          description: persisted ? "Stored in this browser." : "Kept for this visit only: browser storage is unavailable.",
        });
      },
    },
    h("label", { for: "fal-api-key" }, "FAL API Key"),
    input,
    h("button", { type: "submit", className: "primary", "data-testid": "save-api-keys-button" }, "Save API Keys"),
  );
  container.append(
    h(
      "section",
      { className: "settings-page", "data-testid": "settings-page", "aria-labelledby": "settings-heading" },
      h("h1", { id: "settings-heading" }, "Settings"),
      h(
        "div",
        { role: "tablist", "aria-label": "Settings" },
        h("button", { type: "button", role: "tab", "aria-selected": "true", "data-testid": "api-keys-tab" }, "API Keys"),
      ),
      h("div", { role: "tabpanel", "aria-label": "API Keys" }, form),
    ),
  );
  return () => {};
}
