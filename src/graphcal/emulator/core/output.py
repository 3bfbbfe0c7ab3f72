"""Every Graph response is rendered here, after the output-bending faults had their say."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from graphcal.emulator.core.faults import Output, bend


def finish(request: Request, out: Output) -> Response:
    """Apply the active faults' transforms (``faults.bend``) and render ``out``."""
    bend(request, out)
    if out.text is not None:
        return PlainTextResponse(out.text, status_code=out.status, headers=out.headers)
    if out.body is None:
        return Response(status_code=out.status, headers=out.headers)
    return JSONResponse(out.body, status_code=out.status, headers=out.headers,
                        media_type=out.media_type)
