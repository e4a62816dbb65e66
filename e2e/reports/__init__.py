"""What a run leaves: the pytest plugin writing each run's folder (JUnit, HTML, summary, artifacts)."""
