"""What the Desk's browser tests share: logging in as a fixture user."""

from playwright.sync_api import expect

from ..conftest import PASSWORD


def login(new_page, username, password=PASSWORD):
    page = new_page()
    page.goto("/login/")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("#login")
    expect(page.locator("header.top")).to_be_visible()
    return page
