"""Reference data in Vietnamese: the organisation of a province, and the names used for demo people."""
