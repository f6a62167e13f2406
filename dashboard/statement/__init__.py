"""Data set 1a: the register of the ways an LA listens, the Lundy self-assessment, and the annual
"how we listen and respond" statement (with its child-friendly version)."""
