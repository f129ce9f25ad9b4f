"""Quizzes and attempts: rules a trainer sets (models in assessments.models), attempts learners make."""
