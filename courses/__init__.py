"""Curriculum and learning: tracks, enrolment, assignment, classes, progress and completion.

Course content (pages, lessons, blocks) is edited in Wagtail and lives in cms; this app owns the
learning records that point at it. Today it holds the five tracks; the rest arrives with issue 3.
"""
