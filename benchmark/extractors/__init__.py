"""Event extractors that `evbench run` can evaluate: the protocol, the harness and two baselines.

`base` defines what an extractor is and how `--extractor` names are resolved; `lexicon` is a
rule-based Arabic baseline; `llm` is a client for any OpenAI-compatible chat-completions server.
"""
