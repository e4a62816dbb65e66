// Toasts in sonner's markup (`ol[data-sonner-toaster] > li[data-sonner-toast][data-type]`), so selectors
// written against the original app's <Toaster /> work here.
import { h } from "./dom.js";

const DEFAULT_DURATION = { success: 4000, info: 4000, warning: 8000, error: 8000 };
const ICONS = { success: "✓", info: "ℹ", warning: "⚠", error: "✕" };
let nextId = 1;

function toaster() {
  return document.querySelector("[data-sonner-toaster]");
}

function show(type, title, options = {}) {
  const list = toaster();
  const id = options.id ?? nextId++;
  if (!list) return id;
  list.querySelector(`[data-toast-id="${id}"]`)?.remove();
  const duration = options.duration ?? DEFAULT_DURATION[type];
  let timer;
  const dismissToast = () => {
    clearTimeout(timer);
    item.remove();
  };
  const action = options.action
    ? h(
        "button",
        {
          type: "button",
          "data-button": true,
          "data-action": true,
          onClick: (event) => {
            options.action.onClick?.(event);
            dismissToast();
          },
        },
        options.action.label,
      )
    : null;
  const item = h(
    "li",
    {
      "data-sonner-toast": true,
      "data-type": type,
      "data-styled": "true",
      "data-mounted": "true",
      "data-visible": "true",
      "data-toast-id": id,
      role: type === "error" ? "alert" : "status",
      "aria-live": type === "error" ? "assertive" : "polite",
      "aria-atomic": "true",
      tabindex: "0",
    },
    h("div", { "data-icon": true, "aria-hidden": "true" }, ICONS[type]),
    h(
      "div",
      { "data-content": true },
      h("div", { "data-title": true }, title),
      options.description ? h("div", { "data-description": true }, options.description) : null,
    ),
    action,
    h("button", { type: "button", "data-close-button": true, "aria-label": "Close toast", onClick: dismissToast }, "×"),
  );
  // Like sonner: hovering pauses the timer so a person can read and click.
  const arm = () => {
    if (Number.isFinite(duration)) timer = setTimeout(dismissToast, duration);
  };
  item.addEventListener("mouseenter", () => clearTimeout(timer));
  item.addEventListener("mouseleave", arm);
  list.prepend(item);
  arm();
  return id;
}

export const toast = {
  success: (title, options) => show("success", title, options),
  info: (title, options) => show("info", title, options),
  warning: (title, options) => show("warning", title, options),
  error: (title, options) => show("error", title, options),
  dismiss: (id) => toaster()?.querySelector(`[data-toast-id="${id}"]`)?.remove(),
};
