// The original's lib/error-handler.ts: categorised errors, an id a user can quote, and a sonner toast.
import { toast } from "./toast.js";
import { errorMessage } from "./utils.js";

export const ErrorCategory = { STORAGE: "storage", AI_SERVICE: "ai_service", NETWORK: "network", UNKNOWN: "unknown" };
export const ErrorSeverity = { LOW: "low", MEDIUM: "medium", HIGH: "high", CRITICAL: "critical" };

export function generateErrorId() {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  const random = Array.from(crypto.getRandomValues(new Uint8Array(6)), (b) => alphabet[b % alphabet.length]).join("");
  return `ERR-${Date.now()}-${random}`;
}

function userMessage(error, category) {
  const message = errorMessage(error);
  const lower = message.toLowerCase();
  const name = error?.name ?? "";
  if (category === ErrorCategory.STORAGE) {
    if (lower.includes("quota") || name === "QuotaExceededError") {
      return "Storage space is full. Please free up space and try again.";
    }
    if (lower.includes("permission")) return "Storage permission denied. Please check browser settings.";
  }
  if (message && message.length < 100) return message;
  return "An unexpected error occurred";
}

export function handleError(error, context) {
  const errorId = generateErrorId();
  const message = userMessage(error, context.category);
  console.error(`[${context.category}] ${context.operation} (${errorId}):`, error, context.metadata ?? {});
  if (context.showToast !== false) {
    const options = {
      description: `${context.operation} (${errorId})`,
      action: { label: "Copy ID", onClick: () => navigator.clipboard?.writeText(errorId).catch(() => {}) },
    };
    if (context.severity === ErrorSeverity.HIGH || context.severity === ErrorSeverity.CRITICAL) {
      toast.error(message, options);
    } else {
      toast.warning(message, options);
    }
  }
  return { errorId, message };
}

export function handleStorageError(error, operation, metadata) {
  return handleError(error, { operation, category: ErrorCategory.STORAGE, severity: ErrorSeverity.HIGH, metadata });
}

export function handleAIServiceError(error, operation, metadata) {
  return handleError(error, {
    operation,
    category: ErrorCategory.AI_SERVICE,
    severity: ErrorSeverity.MEDIUM,
    metadata,
  });
}
