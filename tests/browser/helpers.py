"""What the browser journeys share: the demo accounts' password and signing in as one of them."""

from __future__ import annotations

PASSWORD = "browser-demo-pass"


def sign_in(page, username: str) -> None:
    """Sign out whoever was signed in, sign in as ``username`` and land on its home page."""
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url("**/home/")
