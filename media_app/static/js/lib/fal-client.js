// FAL over plain fetch, as the original (no @fal-ai/client): the synchronous fal.run call and the queue
// (submit, poll status, fetch the result). Errors carry the original's user texts.
import {
  FAL_QUEUE_URL,
  FAL_RUN_URL,
  QUEUE_MAX_ATTEMPTS,
  QUEUE_POLL_INTERVAL_MS,
  QUEUE_TRANSIENT_FAILURES,
  getFalApiKey,
} from "../config.js";

export class FalApiError extends Error {
  constructor(message, { status = 0, body = null, requestId = "" } = {}) {
    super(message);
    this.name = "FalApiError";
    this.status = status;
    this.body = body;
    this.requestId = requestId;
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function detailText(detail) {
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail)) return detail.map((entry) => entry?.msg || JSON.stringify(entry)).join("; ");
  if (detail && typeof detail === "object") return detail.msg || JSON.stringify(detail);
  return "";
}

export function falErrorMessage(status, errorData, statusText) {
  if (status === 401) return "Invalid FAL.ai API key. Please check your API key configuration.";
  if (status === 429) return "Rate limit exceeded. Please wait a moment before trying again.";
  return `FAL API error: ${detailText(errorData?.detail) || statusText || `HTTP ${status}`}`;
}

async function falRequest(url, { method = "GET", body } = {}) {
  const key = getFalApiKey();
  if (!key) throw new FalApiError("FAL API key is not configured. Add it in Settings.");
  const headers = { Authorization: `Key ${key}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (error) {
    throw new FalApiError(`Could not reach FAL: ${error.message}`);
  }
  const requestId = response.headers.get("x-fal-request-id") || "";
  if (!response.ok) {
    let errorData = null;
    try {
      errorData = await response.json();
    } catch {
      errorData = null; // not JSON: the status line is all there is
    }
    throw new FalApiError(falErrorMessage(response.status, errorData, response.statusText), {
      status: response.status,
      body: errorData,
      requestId,
    });
  }
  try {
    return await response.json();
  } catch (error) {
    throw new FalApiError(`FAL returned an unreadable response: ${error.message}`, { status: response.status });
  }
}

// result.video?.url || result.video || result.url, as the original, but only ever a string.
export function videoUrlOf(result) {
  const candidates = [result?.video?.url, result?.video, result?.url];
  return candidates.find((value) => typeof value === "string" && value) || null;
}

function jobId() {
  return `job_${Math.random().toString(36).slice(2, 11)}_${Date.now()}`;
}

// The original's generateLTXV2Video: one POST that blocks until FAL returns the video.
export async function generateSync(model, prompt) {
  const result = await falRequest(`${FAL_RUN_URL}/${model.endpoint}`, {
    method: "POST",
    body: { prompt, ...model.defaults },
  });
  return {
    job_id: jobId(),
    status: "completed",
    message: `Video generated successfully with ${model.id}`,
    estimated_time: 0,
    video_url: videoUrlOf(result),
    video_data: result,
  };
}

// Status and result live under owner/alias only: the sub-path is dropped (as @fal-ai/client does).
export function queueBase(endpoint) {
  const parts = endpoint.split("/");
  const keep = parts[0] === "workflows" || parts[0] === "comfy" ? 3 : 2;
  return `${FAL_QUEUE_URL}/${parts.slice(0, keep).join("/")}`;
}

// Submit, then poll every QUEUE_POLL_INTERVAL_MS (setTimeout, so a test's fake clock drives it).
export async function generateQueued(model, prompt, onStatus) {
  const submitted = await falRequest(`${FAL_QUEUE_URL}/${model.endpoint}`, {
    method: "POST",
    body: { prompt, ...model.defaults },
  });
  const requestId = submitted?.request_id;
  if (!requestId) throw new FalApiError("FAL queue did not return a request id");
  const base = `${queueBase(model.endpoint)}/requests/${encodeURIComponent(requestId)}`;
  onStatus?.({ status: "IN_QUEUE", queue_position: submitted.queue_position ?? 0, request_id: requestId });
  let transientFailures = 0;
  for (let attempt = 0; attempt < QUEUE_MAX_ATTEMPTS; attempt++) {
    if (attempt > 0) await sleep(QUEUE_POLL_INTERVAL_MS);
    let status;
    try {
      status = await falRequest(`${base}/status?logs=0`);
    } catch (error) {
      // Like @fal-ai/client's status polls: ride out a few 5xx or network errors.
      const transient = error.status === 0 || error.status >= 500;
      if (transient && ++transientFailures <= QUEUE_TRANSIENT_FAILURES) continue;
      throw error;
    }
    onStatus?.(status);
    if (status.status === "COMPLETED") {
      const result = await falRequest(base);
      return {
        job_id: requestId,
        status: "completed",
        message: `Video generated successfully with ${model.id}`,
        estimated_time: 0,
        video_url: videoUrlOf(result),
        video_data: result,
      };
    }
    if (status.status !== "IN_QUEUE" && status.status !== "IN_PROGRESS") {
      throw new FalApiError(`Video generation failed: status ${status.status}`);
    }
  }
  throw new FalApiError(`Video generation timed out after ${QUEUE_MAX_ATTEMPTS} status checks`);
}
