"""Performance benchmarks for backcare: start-up against reference commands, and scale.

Run ``python -m benchmarks`` from the repository root; see ``__main__`` for options.
"""
