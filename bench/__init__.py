"""The province-scale benchmark (issue 8): `make bench` runs bench/run.py. Never part of `make test` or CI."""
