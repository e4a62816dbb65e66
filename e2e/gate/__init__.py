"""The gate: the fast proof and full table over the legacy switches (`python -m e2e.gate`), and the
build gate over real QCut builds with its one-page matrix (`python -m e2e.gate.builds`).
"""
