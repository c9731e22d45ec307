"""The operator console: server-rendered pages under ``/console`` for the LAPOR! desk.

``router`` holds the pages and the JSON endpoints they call; ``api.app.create_app`` includes it.
"""

from fastapi import APIRouter

from lapor_nlp.api.console import actions, pages

router = APIRouter()
router.include_router(pages.router)
router.include_router(actions.router)

__all__ = ["router"]
