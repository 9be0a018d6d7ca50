"""Pure metric code for evbench: plain data in, counts and scores out; no I/O, no printing."""
