"""The streaming input path: documents read, checked and joined one at a time.

`stream` yields one file's checked documents without holding the file; `join` pairs the
reference's documents with the submission's by ``doc_id``. Together they let `evbench score`
reduce each document to additive counts as soon as it is read (``benchmark.streaming``), so
memory does not grow with the number of documents. Problems are never reported from here:
a stream that meets anything it cannot accept stops, and the caller reads the file again the
whole-file way (``benchmark.submission``), which gives the one canonical list of problems.
"""
