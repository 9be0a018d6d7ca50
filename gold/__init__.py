"""The bundled evbench corpus: documents, manifest, ontology, schemas, guidelines and gold.

This is a data package (no code beyond this line); it is a package only so that a wheel
install ships it and `importlib.resources` finds it from any working directory.
"""
