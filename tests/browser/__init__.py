"""Browser tests: JupyterLab, Voila and exported HTML driven by headless Chromium."""
