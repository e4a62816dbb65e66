"""The app under test: `--app` (the reference app or a QCut build), the build's expectations files and
what a run on a real build expects of each test.
"""
