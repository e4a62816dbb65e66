// Runs the official @fal-ai/client against fake_fal, one scenario per process, and prints one JSON line.
//
//   node conformance.mjs <scenario> <endpoint-id>
//
// The client is unmodified; only its `fetch` is ours. Node cannot map hostnames the way Chromium does, so
// that fetch sends each FAL URL to the fake's port for that host (FAKE_FAL_HOSTS, from FakeFal.env) and
// leaves the rest of the request alone. Trust comes from NODE_EXTRA_CA_CERTS.
import { ApiError, ValidationError, createFalClient } from "@fal-ai/client";

const hosts = JSON.parse(process.env.FAKE_FAL_HOSTS);

function throughFake(url) {
  const parsed = new URL(url);
  const base = hosts[parsed.host];
  if (!base) throw new Error(`fake_fal serves no ${parsed.host}`);
  return base + parsed.pathname + parsed.search;
}

const fetchThroughFake = (input, init) =>
  fetch(throughFake(typeof input === "string" ? input : input.url ?? String(input)), init);

const fal = createFalClient({ credentials: process.env.FAL_KEY, fetch: fetchThroughFake });

async function subscribe(endpoint, mode) {
  const updates = [];
  const result = await fal.subscribe(endpoint, {
    input: { prompt: "a cat surfing", duration: "6" },
    logs: true,
    mode,
    onQueueUpdate: (update) => updates.push(update.status),
  });
  return { data: result.data, requestId: result.requestId, updates };
}

async function upload() {
  const bytes = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 1, 2, 3, 4]);
  const url = await fal.storage.upload(new Blob([bytes], { type: "image/png" }));
  const served = await fetchThroughFake(url);
  const back = new Uint8Array(await served.arrayBuffer());
  return { url, sameBytes: back.length === bytes.length && back.every((b, i) => b === bytes[i]) };
}

const scenarios = {
  polling: (endpoint) => subscribe(endpoint, "polling"),
  streaming: (endpoint) => subscribe(endpoint, "streaming"),
  upload,
};

const [scenario, endpoint] = process.argv.slice(2);
try {
  console.log(JSON.stringify({ ok: await scenarios[scenario](endpoint) }));
} catch (error) {
  if (!(error instanceof ApiError)) throw error;
  console.log(
    JSON.stringify({
      error: {
        name: error.constructor.name,
        isValidationError: error instanceof ValidationError,
        status: error.status,
        message: error.message,
        body: error.body,
        requestId: error.requestId,
      },
    }),
  );
}
