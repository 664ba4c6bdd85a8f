"""The language server's tests are a package so that their conftest.py is module `lsp.conftest`.

As for tests/sql: without this, pytest would import tests/lsp/conftest.py as the top-level
module `conftest`, replacing tests/conftest.py under that name. Import the helpers here as
`from lsp.lsp_support import ...`.
"""
