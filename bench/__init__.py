"""Benchmarks of Permanence: `make bench` runs every `bench_*.py` module's `main()`."""
