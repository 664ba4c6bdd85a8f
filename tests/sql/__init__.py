"""The SQL tests are a package so that their conftest.py is module `sql.conftest`.

Without this, pytest would import tests/sql/conftest.py as the top-level module `conftest`,
replacing tests/conftest.py under that name, and every later `from conftest import run_cli`
would fail. Import the helpers here as `from sql.engines import ...`.
"""
