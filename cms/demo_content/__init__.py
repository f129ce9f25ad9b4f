"""Demo courses, one complete course per track, written in Vietnamese: `manage.py seed_demo_courses`.

One module per course holds its text, lessons and illustrations; `builder` publishes them.
"""
