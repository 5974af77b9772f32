"""A real phone browser (the system's Chromium, driven by Playwright) in the room.

It joins, places a dot and adds a relationship to the map, and the facilitator's
screen (driven by Pilot in the same test) shows both.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from test_room_tui import link_of, room_app, room_session, until
from tui_helpers import screen_text, wait_for_workshop

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


async def test_a_phone_browser_joins_votes_and_adds_to_the_map(tmp_path: Path) -> None:
    from playwright.async_api import async_playwright

    app = room_app(room_session(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot, async_playwright() as pw:
        await wait_for_workshop(pilot)
        await pilot.press("ctrl+j", "escape")
        await pilot.pause()
        address = link_of(app).address
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            phone = await browser.new_page(viewport={"width": 390, "height": 844})
            await phone.goto(address)
            assert "Secretname" not in await phone.content()
            await phone.get_by_label("Alice").check()
            await phone.get_by_role("button", name="Join").click()
            await phone.get_by_text("You are Alice").wait_for()
            await phone.get_by_role("button", name="Add a dot to Trust").click()
            await phone.get_by_text("Added.").wait_for()
            await until(pilot, lambda: re.search(r"Trust\s.*\s1\s", screen_text(app)))

            await pilot.press("f4")  # the facilitator moves the wall on to stage 1
            await pilot.pause()
            # The page notices by itself (its small script) and shows the map form.
            await phone.get_by_label("Name").wait_for(timeout=15_000)
            await phone.get_by_label("Name").fill("Hollin Vale Police")
            await phone.get_by_label("Type of agency").select_option("police")
            await phone.get_by_label("How close (ring)").select_option("2")
            await phone.get_by_role("button", name="Add to the map").click()
            await phone.get_by_text("Added.").wait_for()
            (rel,) = app.session.state.relationships.values()
            assert (rel.name, rel.agency_type, rel.closeness) == ("Hollin Vale Police", "police", 2)
            await until(pilot, lambda: "Hollin Vale Police" in screen_text(app))
            shot = os.environ.get("FACILITATOR_ROOM_SCREENSHOT")
            if shot:  # how docs/room-phone.png is made
                await pilot.press("f3")
                await pilot.pause()
                await phone.reload()
                await phone.screenshot(path=shot, full_page=False)
        finally:
            await browser.close()
