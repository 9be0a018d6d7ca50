"""The input pipeline: a file's bytes to checked, per-document annotations, in the order data passes.

1. `reading`: bytes and limits (size, encodings, JSON / JSONL framing), every unreadable file a located problem;
2. `structs`: typed decoding (msgspec), the fast path of the schema check;
3. `validation`: checks against the schema and the corpus (offsets, texts, types, roles), located problems;
4. `submission`: whole files as annotations (what reports and `--explain` need), and writing them back;
   `stream` and `join`: the same checks one document at a time, paired with the reference by
   ``doc_id``, for scoring with memory flat in the corpus size (``benchmark.streaming``);
5. `locating`: text-only spans given offsets by one rule.

`corpus` (documents, ontology) and `problems` (the one error type, `InputError`) are what
every stage is checked against and reports with. No module here imports from a later stage
or from outside `benchmark.input`, except `scorers.model` (the annotation records).
A stream never reports problems: it hands over to the whole-file path, which gives the one
canonical list of problems.
"""
