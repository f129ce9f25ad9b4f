"""The course gradebook (issue 4): every learner's grades on the course's scored activities, with an
XLSX export. Reads only: selectors, views, the XLSX writer and the export task."""
