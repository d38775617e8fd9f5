"""Search: one query model (``query``), its language (``language``), the full-text and vector
indexes (``text_index``, ``vectors``), the engine that runs a query (``engine``), the
timeline (``timeline``) and saved searches (``collections``)."""
