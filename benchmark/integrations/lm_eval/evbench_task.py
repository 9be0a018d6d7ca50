"""The functions the evbench YAML tasks name (``!function evbench_task.NAME``).

lm-eval loads this file by its path, not as part of a package, so it only imports them from
`benchmark.integrations.lm_eval_task`, where they are documented and tested.
"""

from benchmark.integrations.lm_eval_task import aggregation, dataset, process_results, sentence_dataset

tri_c_exact = aggregation("tri_c", "exact")
arg_c_plus_exact = aggregation("arg_c_plus", "exact")
realis_exact = aggregation("realis", "exact")
coref_within_conll_exact = aggregation("coref_within_conll", "exact")
tri_c_relaxed = aggregation("tri_c", "relaxed")
arg_c_plus_relaxed = aggregation("arg_c_plus", "relaxed")
realis_relaxed = aggregation("realis", "relaxed")
coref_within_conll_relaxed = aggregation("coref_within_conll", "relaxed")

__all__ = [
    "dataset", "sentence_dataset", "process_results",
    "tri_c_exact", "arg_c_plus_exact", "realis_exact", "coref_within_conll_exact",
    "tri_c_relaxed", "arg_c_plus_relaxed", "realis_relaxed", "coref_within_conll_relaxed",
]
