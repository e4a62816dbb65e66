"""The browser: finding a Chromium that plays H.264, Playwright's options as this suite honours them, a
browser in a Playwright server, and frames shown by the compositor.
"""
