"""leadspec: lead lifecycle definitions as code.

The package is organised as a pipeline (see README "How it works"):
source -> schema -> build (model) -> expr -> analysis -> rules -> reporters.
"""

__version__ = "0.1.0"
