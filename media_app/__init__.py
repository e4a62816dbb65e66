"""The reference media app (QCut's generate → store → preview path) and the server that serves it."""
