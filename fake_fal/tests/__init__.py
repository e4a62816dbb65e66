"""The fake's own tests: its protocol, the official clients against it, and a real Chromium."""
