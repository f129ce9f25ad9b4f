"""Assessments: the question bank, quizzes, attempts with exam-grade integrity and the placement
survey (issue 4). Registered now so the project's layout is the design's from the start."""
