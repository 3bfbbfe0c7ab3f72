"""Every Graph response is rendered here, after the output-bending faults had their say."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from graphcal.emulator.core.faults import Output, bend


def finish(request: Request, out: Output) -> Response:
    """Apply the active faults' transforms (``faults.bend``), then the random-valid mode's body
    (``core.random_valid``, when the app runs in it), and render ``out``."""
    bend(request, out)
    random_valid = getattr(request.app.state, "random_valid", None)
    if random_valid is not None and out.text is None and out.body is not None:
        out.body = random_valid.replace(request.method, request.url.path, request.url.query,
                                        out.status, out.body)
    if out.text is not None:
        return PlainTextResponse(out.text, status_code=out.status, headers=out.headers)
    if out.body is None:
        return Response(status_code=out.status, headers=out.headers)
    return JSONResponse(out.body, status_code=out.status, headers=out.headers,
                        media_type=out.media_type)
