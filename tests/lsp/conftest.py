"""A real LSP client (pytest-lsp) talking to `leadspec lsp` over stdio, on a copy of the bundled definitions."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from lsp.lsp_support import write_project

SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "leadspec", "lsp"])


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A team's repository: definitions in two files and a pyproject.toml that names them."""
    return write_project(tmp_path)


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: LanguageClient, project: Path) -> AsyncIterator[LanguageClient]:
    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def _registered(params: types.RegistrationParams) -> None:
        """Accept the server's watchers as VS Code does (the client below says it can)."""

    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=project.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=project.as_uri(), name="project")],
        )
    )
    yield lsp_client
    await lsp_client.shutdown_session()
