"""The check of the abuse tests (issue 6) that a refused request answered with a clear page; that it
left every row as it was is `snapshot()` (tests/conftest.py)."""

# What a refused request may answer: not found, forbidden, replaced, conflict, unprocessable, too large.
CLEAR_REFUSALS = {403, 404, 409, 410, 413, 422}


def assert_clear_page(response, allowed=CLEAR_REFUSALS):
    """A refusal is an HTML page with one of the expected codes, never a server error."""
    assert response.status_code < 500, response.get_data(as_text=True)[:2000]
    assert response.status_code in allowed, (response.status_code, response.get_data(as_text=True)[:2000])
    assert response.mimetype == "text/html"
    assert "<h1" in response.get_data(as_text=True)
