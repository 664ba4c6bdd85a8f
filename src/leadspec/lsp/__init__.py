"""`leadspec lsp`: the language server (pygls, over stdio).

The server is thin wiring (`server.py`); each feature lives in its own module and
works on plain values, so it can be tested and reused without a client:

- `workspace`: which definitions an open file belongs to, and the check of all of
  them with the editor's unsaved text in place of the files on disk;
- `positions`: leadspec's 1-based places <-> the protocol's 0-based ones;
- `findings`: leadspec `Diagnostic`s -> protocol diagnostics, per file;
- `places`: what an id or a criterion word at a place means, where it is defined and used;
- `completion`, `hover`, `actions`: the editor features built on those.

Nothing here checks the definitions itself: the findings are `api.load`'s.
"""
