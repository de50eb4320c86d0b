"""Evaluation: question sets, metrics, the runner and benchmarks."""
