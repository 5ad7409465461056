"""`python -m bench`: the same as `python -m bench.run` (every part, one table, RESULTS.md)."""

from bench.run import main

main()
