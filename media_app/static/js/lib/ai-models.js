// The text-to-video models the AI view offers (the original's ai-constants.ts, trimmed): one on the
// synchronous fal.run path, as the original's LTX-2 call, and one on the queue.

export const AI_MODELS = [
  {
    id: "ltxv2_fast_t2v",
    name: "LTX Video 2.0 Fast T2V",
    description: "Fast text-to-video with audio, 1080p",
    price: "0.04/s",
    resolution: "1080p",
    endpoint: "fal-ai/ltxv-2/text-to-video/fast",
    mode: "sync",
    defaults: { duration: 6, resolution: "1080p", aspect_ratio: "16:9", fps: 25, generate_audio: true },
  },
  {
    id: "kling_v2_5_turbo_pro_t2v",
    name: "Kling v2.5 Turbo Pro T2V",
    description: "Cinematic text-to-video through the FAL queue",
    price: "0.07/s",
    resolution: "1080p",
    endpoint: "fal-ai/kling-video/v2.5-turbo/pro/text-to-video",
    mode: "queue",
    defaults: { duration: "5", aspect_ratio: "16:9" },
  },
];

export const MAX_PROMPT_LENGTH = 5000;

export function getModel(id) {
  return AI_MODELS.find((model) => model.id === id);
}
