"""evbench inside other evaluation tools (lm-evaluation-harness); each integration is an optional extra."""
