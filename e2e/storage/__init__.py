"""Storage: real storage faults (a full quota, blocked site data), their fixtures, and the media store
as the app holds it.
"""
