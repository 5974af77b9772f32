"""The room page's web app: a few plain HTML forms, served only to holders of the code.

Every request must carry the join code in its path; every request after the first
carries the phone's device cookie (HttpOnly, SameSite=Strict); every form carries a
CSRF token tied to that device and a submission id made for that form, so a resent
form counts once. Bodies are small and rate-limited per device. Pages show only what
the wall shows: criteria, totals, and the phone's own contributions.
"""

from __future__ import annotations

import secrets
from importlib import resources
from typing import Any
from urllib.parse import parse_qs

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from facilitator.domain.text import TextError, clean_text
from facilitator.domain.vocabulary import load_vocabulary
from facilitator.room import security
from facilitator.room.contributions import ROOM_TAGS
from facilitator.room.hub import Device, Hub, Refused

COOKIE = "room_device"
NOTE_LIMIT = 1_000  # characters in a note from a phone (the laptop allows far more)

HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    ),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"cache-control", b"no-store"),
]

_PACKAGE = resources.files("facilitator.room")
_env = Environment(
    loader=FileSystemLoader(str(_PACKAGE / "templates")),
    autoescape=select_autoescape(default=True, default_for_string=True),
)


class Guard:
    """Headers on every response; bodies over the limit refused before they are read."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return  # no websockets, no lifespan
        headers = dict(scope.get("headers") or [])

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *HEADERS]
            await send(message)

        if scope["method"] == "POST":
            length = headers.get(b"content-length")
            if length is None or not length.isdigit():
                await _plain(send_with_headers, 411, "A form must say how long it is.")
                return
            if int(length) > security.MAX_BODY_BYTES:
                await _plain(send_with_headers, 413, "That is too much text to send at once.")
                return
            receive = _capped(receive, int(length))
        await self.app(scope, receive, send_with_headers)


def _capped(receive: Receive, limit: int) -> Receive:
    seen = 0

    async def wrapped() -> Message:
        nonlocal seen
        message = await receive()
        seen += len(message.get("body", b""))
        if seen > limit:  # more than it said: stop reading
            return {"type": "http.disconnect"}
        return message

    return wrapped


async def _plain(send: Send, status: int, text: str) -> None:
    response = Response(text, status_code=status, media_type="text/plain; charset=utf-8")
    await response({"type": "http"}, _nothing, send)


async def _nothing() -> Message:
    return {"type": "http.disconnect"}


def build_app(hub: Hub) -> ASGIApp:
    """The room's web app for one hub (a new hub, with a new code, each time it opens)."""

    def check_code(request: Request) -> None:
        if not security.same(request.path_params.get("code"), hub.code):
            raise Refused("No room with that code here. Scan the code on the wall again.", 404)

    def address(request: Request) -> str:
        return request.client.host if request.client else "?"

    def known_device(request: Request) -> Device:
        device = hub.device(request.cookies.get(COOKIE))
        if device is None:
            raise Refused("This phone has not joined: open the room's address again.", 403)
        if device.revoked:
            raise Refused("The facilitator has taken this phone out of the room.", 403)
        return device

    async def page(request: Request) -> Response:
        try:
            check_code(request)
            token = request.cookies.get(COOKIE)
            device = hub.device(token)
            fresh = device is None
            if device is None:
                device = hub.new_device(address(request))
            if device.revoked:
                raise Refused("The facilitator has taken this phone out of the room.", 403)
            if not hub.limits.allow("PAGE", device.id):
                raise Refused("Too many requests from this phone: wait a moment.", 429)
        except Refused as exc:
            return refusal(exc, request)
        response = render(device)
        if fresh:
            response.set_cookie(
                COOKIE,
                device.token,
                path=f"/{hub.code}/",
                httponly=True,
                samesite="strict",
                max_age=12 * 3600,
            )
        return response

    def render(device: Device, error: str = "", status: int = 200) -> HTMLResponse:
        flash, device.flash = device.flash, ""
        state = hub.get_state()
        vocab = load_vocabulary()
        context: dict[str, Any] = {
            "code": hub.code,
            "csrf": hub.csrf(device),
            "sid": secrets.token_urlsafe(12),
            "error": error,
            "flash": flash,
            "joined": device.joined,
            "me": hub.public_name(device) if device.joined else "",
            "guest": device.joined and device.participant_id is None,
            "names": hub.names(),
            "open": hub.what_is_open(),
            "version": f"{hub.version}.{hub.what_is_open()}",
            "mine": [(c, describe(c)) for c in hub.mine(device)],
        }
        if context["open"] == "vote" and device.participant_id is not None:
            from facilitator.domain.commands import vote_totals

            totals = vote_totals(state, 1)
            mine = {
                v.criterion_id: v.dots
                for v in state.rows["criterion_vote"].values()
                if v.participant_id == device.participant_id and v.round == 1
            }
            context["criteria"] = [
                (t.id, t.label, mine.get(t.id, 0), totals.get(t.id, 0)) for t in vocab.criteria
            ]
            context["left"] = state.info.dots_per_person - sum(mine.values())
        if context["open"] == "map":
            context["agency_types"] = [(t.id, t.label) for t in vocab.terms("agency_types")]
        if context["open"] == "notes":
            context["tags"] = [(t, vocab.label("note_tags", t)) for t in ROOM_TAGS]
        html = _env.get_template("room.html").render(**context)
        return HTMLResponse(html, status_code=status)

    def refusal(exc: Refused, request: Request) -> HTMLResponse:
        # The page links back into the room only for a request that had the code.
        known = security.same(request.path_params.get("code"), hub.code)
        html = _env.get_template("refused.html").render(
            message=str(exc), code=hub.code if known else ""
        )
        return HTMLResponse(html, status_code=exc.status)

    async def form(request: Request) -> tuple[Device, dict[str, str]]:
        check_code(request)
        device = known_device(request)
        if not hub.limits.allow("POST", device.id):
            raise Refused("Too many requests from this phone: wait a moment.", 429)
        kind = request.headers.get("content-type", "").split(";")[0].strip()
        if kind != "application/x-www-form-urlencoded":
            raise Refused("The room takes only its own forms.", 415)
        body = await request.body()
        try:
            parsed = parse_qs(body.decode("utf-8"), strict_parsing=False, max_num_fields=20)
        except (UnicodeDecodeError, ValueError):
            raise Refused("That form could not be read.") from None
        values = {k: v[0] for k, v in parsed.items()}
        if not security.same(values.get("csrf"), hub.csrf(device)):
            raise Refused("That form is out of date or not from this phone: reload the page.", 403)
        return device, values

    async def join(request: Request) -> Response:
        try:
            device, values = await form(request)
            hub.join(device, values.get("who", ""))
        except Refused as exc:
            return refusal(exc, request)
        return back(hub)

    async def contribute(request: Request) -> Response:
        kind = request.path_params["kind"]
        device: Device | None = None
        try:
            device, values = await form(request)
            if not device.joined:
                raise Refused("Pick your name first.", 403)
            submission = values.get("sid", "")
            if not (8 <= len(submission) <= 40 and submission.isascii()):
                raise Refused("That form is missing its submission id: reload the page.")
            fields = _fields(kind, values)
            c = await hub.contribute(device, kind, fields, submission)
        except Refused as exc:
            if device is not None and device.joined and exc.status == 400:
                return render(device, error=str(exc), status=400)
            return refusal(exc, request)
        device.flash = _outcome(c)
        if request.headers.get("accept") == "application/json":
            return JSONResponse({"id": c.id, "status": c.status, "message": c.message})
        return back(hub)

    async def version(request: Request) -> Response:
        try:
            check_code(request)
            device = known_device(request)
            if not hub.limits.allow("PAGE", device.id):
                raise Refused("Too many requests from this phone: wait a moment.", 429)
        except Refused as exc:
            return refusal(exc, request)
        return JSONResponse({"version": f"{hub.version}.{hub.what_is_open()}"})

    async def static(request: Request) -> Response:
        try:
            check_code(request)
        except Refused as exc:
            return refusal(exc, request)
        name = request.path_params["name"]
        media = {"room.css": "text/css", "room.js": "text/javascript"}.get(name)
        if media is None:
            return refusal(Refused("Not found.", 404), request)
        return Response((_PACKAGE / "static" / name).read_bytes(), media_type=media)

    async def not_found(request: Request, _exc: Exception) -> Response:
        return refusal(Refused("Not found.", 404), request)

    routes = [
        Route("/{code}/", page, methods=["GET"]),
        Route("/{code}/join", join, methods=["POST"]),
        Route("/{code}/add/{kind:str}", contribute, methods=["POST"]),
        Route("/{code}/version", version, methods=["GET"]),
        Route("/{code}/static/{name:str}", static, methods=["GET"]),
    ]
    app = Starlette(routes=routes, exception_handlers={404: not_found, 405: not_found})
    return Guard(app)


def back(hub: Hub) -> RedirectResponse:
    return RedirectResponse(f"/{hub.code}/", status_code=303)


def _fields(kind: str, values: dict[str, str]) -> dict[str, Any]:
    """The fields a form sends, checked for shape (the domain checks the rest)."""
    vocab = load_vocabulary()
    try:
        if kind == "vote":
            criterion = values.get("criterion", "")
            if criterion not in vocab.ids("criteria"):
                raise Refused("There is no such criterion.")
            delta = values.get("delta", "")
            if delta not in ("1", "-1"):
                raise Refused("A vote adds or takes back one dot.")
            return {"criterion_id": criterion, "delta": int(delta)}
        if kind == "relationship":
            name = clean_text(values.get("name"), what="name", max_len=200, required=True)
            agency_type = values.get("agency_type", "")
            if agency_type and agency_type not in vocab.ids("agency_types"):
                raise Refused("Pick an agency type from the list.")
            ring = values.get("ring", "")
            if ring not in ("", "1", "2", "3", "4"):
                raise Refused("The ring is 1 (close) to 4 (distant), or left empty.")
            return {
                "name": name,
                "agency_type": agency_type or None,
                "closeness": int(ring) if ring else None,
            }
        if kind == "note":
            text = clean_text(values.get("text"), what="note", max_len=NOTE_LIMIT, required=True)
            tag = values.get("tag", "")
            if tag not in ROOM_TAGS:
                raise Refused("Tag the note as a challenge, an opportunity or an ask.")
            return {"text": text, "tag": tag}
    except TextError as exc:
        raise Refused(str(exc)) from None
    raise Refused("The room cannot add that.", 404)


def describe(c: Any) -> str:
    if c.kind == "vote":
        label = load_vocabulary().label("criteria", c.fields["criterion_id"])
        return f"{'+1' if c.fields['delta'] > 0 else '−1'} dot: {label}"
    if c.kind == "relationship":
        return f"Relationship: {c.fields['name']}"
    return f"Note ({c.fields['tag']}): {c.fields['text']}"


def _outcome(c: Any) -> str:
    if c.status == "accepted":
        return "Added."
    if c.status == "held":
        return "Sent: the facilitator will add it."
    return f"Not added: {c.message}" if c.message else "Not added."
