"""The demo courses, one per track, in the catalogue's track order."""

from . import cio, it_basics, security, smartphone, writer

COURSES = [cio.COURSE, security.COURSE, it_basics.COURSE, writer.COURSE, smartphone.COURSE]
