"""Certification: certificates, the competency framework and the competency registry (issue 6).
Registered now so the project's layout is the design's from the start."""
