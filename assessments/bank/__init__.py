"""The question bank: payload rules, admin forms and views (models live in assessments.models)."""
