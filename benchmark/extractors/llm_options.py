"""The `llm` extractor's ``-O KEY=VALUE`` options, as data: `evbench run --help` lists them.

Kept apart from `benchmark.extractors.llm` so that building the CLI parser does not import the
extractor and its HTTP client. A test checks that these are exactly the constructor's keyword
options (less the ones a command line cannot give) with the same defaults.
"""

from __future__ import annotations

#: (name, metavar, help). A "(default X)" in the help must be the constructor's default.
OPTIONS: tuple[tuple[str, str, str], ...] = (
    ("base_url", "URL", "chat-completions base URL, e.g. http://127.0.0.1:8000/v1 (also --base-url; default $EVBENCH_LLM_BASE_URL)"),
    ("model", "NAME", "model name as the server knows it (also --model; default $EVBENCH_LLM_MODEL)"),
    ("cache_dir", "DIR", "answer cache (also --cache-dir; default ~/.cache/evbench/llm)"),
    ("use_cache", "BOOL", "false: neither read nor write the cache (also --no-cache) (default true)"),
    ("refresh", "BOOL", "true: ask again and overwrite cached answers (also --refresh) (default false)"),
    ("timeout", "SECONDS", "wait at most this long for one answer (default 120)"),
    ("max_retries", "N", "retries on 408/409/425/429/5xx, timeouts and dropped connections; a refused connection is not retried (default 5)"),
    ("backoff", "SECONDS", "first retry delay, doubled each retry, at most 60 s, or the server's Retry-After (default 1)"),
    ("temperature", "T", "sampling temperature (default 0)"),
    ("max_tokens", "N", "longest answer, in tokens (default 4096)"),
    ("max_chars", "N", "longest text per request; longer segments are cut at line breaks (default 6000)"),
    ("json_mode", "BOOL", 'send response_format {"type": "json_object"} (default false)'),
    ("guidelines", "FILE", "guidelines whose sections 2-5 go into the prompt (default: the corpus's guidelines.md)"),
)

#: Constructor arguments that are not command-line options (objects, or the key: environment only).
NOT_OPTIONS = frozenset({"corpus", "ontology", "sleep", "api_key"})


def epilog() -> str:
    """The options as an argparse epilog (printed verbatim)."""
    import textwrap

    width = max(len(f"{name}={metavar}") for name, metavar, _ in OPTIONS)
    lines = [textwrap.fill(text, 98, initial_indent=f"  {f'{name}={metavar}':<{width}}  ", subsequent_indent=" " * (width + 4),
                           break_on_hyphens=False)
             for name, metavar, text in OPTIONS]
    return "\n".join([
        "llm extractor options (-O KEY=VALUE, repeatable; the API key is read from $EVBENCH_LLM_API_KEY only):",
        *lines,
        "",
        "A class given as package.module:Class takes its own constructor's keyword arguments as -O options.",
        "Only answers that parse as events are cached; a document whose request failed or whose answer",
        "did not parse counts as failed, and a rerun asks again for it.",
        "",
        "exit status: 0 done; 1 more than --max-failed-share of the documents failed (the submission is",
        "still written with --out, but not scored); 2 bad input, configuration or extractor output.",
    ])
