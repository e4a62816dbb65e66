// Read a video file's duration and size in a detached <video>; a file the browser cannot decode rejects,
// so a corrupt MP4 is known before anyone previews it.

export function probeVideo(file) {
  return new Promise((resolve, reject) => {
    const video = document.createElement("video");
    const url = URL.createObjectURL(file);
    const done = () => {
      video.removeAttribute("src");
      video.load();
      URL.revokeObjectURL(url);
    };
    video.muted = true;
    video.preload = "metadata";
    video.addEventListener(
      "loadedmetadata",
      () => {
        const info = { duration: video.duration, width: video.videoWidth, height: video.videoHeight };
        done();
        if (!info.width || !info.height) reject(new Error("The file has no video track"));
        else resolve(info);
      },
      { once: true },
    );
    video.addEventListener(
      "error",
      () => {
        const message = describeMediaError(video.error);
        done();
        reject(new Error(message));
      },
      { once: true },
    );
    video.src = url;
  });
}

const MEDIA_ERRORS = {
  1: "playback was aborted",
  2: "a network error stopped the video",
  3: "the video could not be decoded",
  4: "the video format or its source is not supported",
};

export function describeMediaError(error) {
  if (!error) return "unknown media error";
  const reason = MEDIA_ERRORS[error.code] || `media error ${error.code}`;
  return error.message ? `${reason} (${error.message})` : reason;
}
